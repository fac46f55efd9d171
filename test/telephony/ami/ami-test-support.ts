import { AmiClient, type AmiClientOptions } from '../../../src/telephony/ami/ami-client';
import type { AmiEvent } from '../../../src/telephony/ami/ami-fields';
import type { PbxSimulator } from '../../../src/telephony/simulator';

/** A client pointed at a simulator, fast timings, deterministic jitter; collects every event it sees. */
export function clientFor(pbx: { host: string; port: number }, options: Partial<AmiClientOptions> = {}): { client: AmiClient; events: AmiEvent[] } {
  const client = new AmiClient({
    host: pbx.host,
    port: pbx.port,
    username: 'siren',
    secret: 'siren',
    actionTimeoutMs: 2000,
    pingIntervalMs: 0,
    reconnectBaseDelayMs: 20,
    rng: () => 0.5,
    ...options,
  });
  const events: AmiEvent[] = [];
  client.onEvent((event) => events.push(event));
  return { client, events };
}

export async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Settles a promise into a value or its rejection, so a test can assert on either. */
export function outcome<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  return promise.then((value) => ({ value }), (error: unknown) => ({ error }));
}

export function originatesFor(pbx: PbxSimulator, channelId: string): number {
  return pbx.log.filter((entry) => entry.channelId === channelId).length;
}
