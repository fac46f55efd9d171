import { Socket, connect } from 'node:net';
import { type AmiHeader, type AmiMessage, AmiMessageReader, header, serializeAmiMessage } from '../../../src/telephony/simulator/ami-frame';

/** A bare AMI connection for tests: raw socket, the shared frame reader, and waits with timeouts. */
export class AmiTestClient {
  readonly received: AmiMessage[] = [];
  readonly reader = new AmiMessageReader({ expectBanner: true });
  readonly closed: Promise<void>;
  private waiters: Array<() => void> = [];
  private nextId = 0;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.received.push(...this.reader.push(chunk));
      this.wake();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => {
      resolve();
      this.wake();
    }));
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<AmiTestClient> {
    const socket = connect(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new AmiTestClient(socket);
    await client.until(() => client.reader.banner !== undefined, 'banner');
    return client;
  }

  static async loggedIn(port: number, extra: AmiHeader[] = []): Promise<AmiTestClient> {
    const client = await AmiTestClient.connect(port);
    const response = await client.action('Login', [['Username', 'siren'], ['Secret', 'siren'], ...extra]);
    if (header(response, 'Response') !== 'Success') throw new Error('login failed');
    return client;
  }

  /** Sends an action with a fresh ActionID (unless given) and returns that id. */
  send(action: string, fields: AmiHeader[] = []): string {
    const actionId = header(fields, 'ActionID') ?? `t-${++this.nextId}`;
    const rest = fields.filter(([name]) => name.toLowerCase() !== 'actionid');
    this.socket.write(serializeAmiMessage([['Action', action], ['ActionID', actionId], ...rest]));
    return actionId;
  }

  /** Sends and waits for the response carrying the same ActionID. */
  async action(action: string, fields: AmiHeader[] = []): Promise<AmiMessage> {
    const actionId = this.send(action, fields);
    return this.waitFor((m) => header(m, 'Response') !== undefined && header(m, 'ActionID') === actionId, `${action} response`);
  }

  async waitFor(match: (message: AmiMessage) => boolean, what: string, timeoutMs = 5000): Promise<AmiMessage> {
    let found: AmiMessage | undefined;
    await this.until(() => (found = this.received.find(match)) !== undefined, what, timeoutMs);
    return found!;
  }

  events(name: string, match: (m: AmiMessage) => boolean = () => true): AmiMessage[] {
    return this.received.filter((m) => header(m, 'Event') === name && match(m));
  }

  async until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** The event names of a call's events (by Uniqueid or by the OriginateResponse ActionID), in order. */
export function callEventNames(client: AmiTestClient, uniqueid: string, actionId: string): string[] {
  return client.received
    .filter((m) => header(m, 'Event') !== undefined)
    .filter((m) => header(m, 'Uniqueid') === uniqueid || header(m, 'DestUniqueid') === uniqueid || header(m, 'ActionID') === actionId)
    .map((m) => (header(m, 'Event') === 'UserEvent' ? `UserEvent:${header(m, 'UserEvent')}` : header(m, 'Event')!));
}
