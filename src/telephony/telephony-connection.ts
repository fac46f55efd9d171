import type { Logger } from 'pino';
import { AmiClient } from './ami/ami-client';
import { AmiConfig } from './ami/ami.config';
import { runBuiltInPbx } from './simulator/run-pbx-simulator';
import type { PbxSimulator } from './simulator/start-pbx-simulator';

export interface TelephonyConnection {
  ami: AmiClient;
  /** The built-in PBX when no AMI_HOST is configured. */
  simulator?: PbxSimulator;
  close(): Promise<void>;
}

/**
 * Connects Siren to its PBX: the configured Asterisk, or — with no AMI_HOST — the built-in PBX
 * simulator started on loopback. A first connection that fails stops start-up (a wrong host or
 * secret should be seen at once); losses after that are reconnected by the AMI client.
 */
export async function openTelephony(config: AmiConfig, logger: Logger): Promise<TelephonyConnection> {
  const builtIn = config.useBuiltInPbx ? await runBuiltInPbx(logger) : undefined;
  const ami = new AmiClient({ ...config.clientOptions(builtIn?.ami), logger });
  ami.onStateChange((state) => logger.info({ ami: state }, 'AMI connection state'));
  try {
    await ami.connect();
  } catch (error) {
    await builtIn?.simulator.close();
    throw error;
  }
  return {
    ami,
    simulator: builtIn?.simulator,
    async close() {
      await ami.close();
      await builtIn?.simulator.close();
    },
  };
}
