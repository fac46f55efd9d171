import type { Logger } from 'pino';
import { type PbxSimulator, type PbxSimulatorOptions, startPbxSimulator } from './start-pbx-simulator';

/** Where Siren's AMI client should connect to reach the built-in PBX. */
export interface AmiEndpoint {
  host: string;
  port: number;
  username: string;
  secret: string;
}

/**
 * For `siren start` when no AMI_HOST is configured: starts the simulator with a realistic mix at
 * real time and says where it listens, so the AMI client can be pointed at it.
 */
export async function runBuiltInPbx(
  logger: Pick<Logger, 'info' | 'warn'>,
  options: PbxSimulatorOptions = {},
): Promise<{ simulator: PbxSimulator; ami: AmiEndpoint }> {
  const username = options.username ?? 'siren';
  const secret = options.secret ?? 'siren';
  const simulator = await startPbxSimulator({
    outcomes: { answer: 55, busy: 12, noAnswer: 20, congestion: 5, failed: 3, carrierFailure: 3, invalidNumber: 2, pressedOne: 25, machine: 15 },
    seed: Date.now() >>> 0,
    ...options,
    username,
    secret,
  });
  logger.warn(
    { host: simulator.host, port: simulator.port },
    'no AMI_HOST configured: calls go to the built-in PBX simulator, nobody is really dialed',
  );
  return { simulator, ami: { host: simulator.host, port: simulator.port, username, secret } };
}
