import { type Server, type Socket, createServer } from 'node:net';
import type { AmiClient, AmiConnected } from '../../../src/telephony/ami/ami-client';
import { AmiConnectionLostError, AmiNotConnectedError } from '../../../src/telephony/ami/ami-errors';
import { type PbxSimulator, startPbxSimulator } from '../../../src/telephony/simulator';
import { AmiMessageReader, header, serializeAmiMessage } from '../../../src/telephony/simulator/ami-frame';
import { clientFor, originatesFor, outcome, sleep, until } from './ami-test-support';

const ORIGINATE = { context: 'siren-autodial', exten: 's', priority: 1, timeoutMs: 20_000, async: true as const };

describe('AmiClient reconnects and never re-sends', () => {
  let pbx: PbxSimulator;
  let client: AmiClient | undefined;

  afterEach(async () => {
    await client?.close();
    client = undefined;
    await pbx.close();
  });

  it('rejects the pending Originate with AmiConnectionLostError, reconnects, and does not re-send it', async () => {
    pbx = await startPbxSimulator({ timeScale: 1000 });
    client = clientFor(pbx).client;
    const states: string[] = [];
    const connections: AmiConnected[] = [];
    client.onStateChange((state) => states.push(state));
    client.onConnected((connected) => connections.push(connected));
    await client.connect();

    // The next action to arrive drops every connection before the PBX acts on it.
    pbx.inject({ kind: 'drop-after', actions: 1 });
    const lost = await outcome(client.originate({ ...ORIGINATE, channel: 'PJSIP/15550101@trunk', channelId: 'lost-1', variables: { __SIREN_CALL_ID: 'lost' } }));
    expect(lost.error).toBeInstanceOf(AmiConnectionLostError);
    expect(lost.error).toMatchObject({ code: 'AMI_CONNECTION_LOST', action: 'Originate' });

    await until(() => client!.connectionState === 'connected', 'reconnected');
    expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    expect(connections.map((c) => c.reconnected)).toEqual([false, true]);
    await client.ping();
    await sleep(100);
    expect(pbx.log).toHaveLength(0); // neither the dropped Originate nor any re-send of it
    expect(pbx.stats().duplicateCallIds).toEqual([]);
  });

  it('rejects an action pending at dropConnections(), then the simulator sees that Originate only once', async () => {
    pbx = await startPbxSimulator({ timeScale: 1000 });
    client = clientFor(pbx).client;
    await client.connect();
    pbx.inject({ kind: 'slow-originate', delayMs: 200, times: 1 });
    const pending = outcome(client.originate({ ...ORIGINATE, channel: 'PJSIP/15550101@trunk', channelId: 'dropped-1', variables: { __SIREN_CALL_ID: 'dropped' } }));
    await sleep(50);
    pbx.dropConnections();
    expect((await pending).error).toBeInstanceOf(AmiConnectionLostError);
    await until(() => client!.connectionState === 'connected', 'reconnected');
    await sleep(400); // past the slow Originate's delay and any re-send
    expect(originatesFor(pbx, 'dropped-1')).toBe(1);
    expect(pbx.stats().duplicateCallIds).toEqual([]);
  });

  it('rejects at once while disconnected, counting reconnect attempts', async () => {
    pbx = await startPbxSimulator({ timeScale: 1000 });
    client = clientFor(pbx, { reconnectBaseDelayMs: 400 }).client;
    await client.connect();
    pbx.dropConnections();
    await until(() => client!.connectionState === 'reconnecting', 'reconnecting');
    const started = Date.now();
    const refused = await outcome(client.originate({ ...ORIGINATE, channel: 'PJSIP/15550101@trunk', channelId: 'offline-1', variables: {} }));
    expect(Date.now() - started).toBeLessThan(50);
    expect(refused.error).toBeInstanceOf(AmiNotConnectedError);
    expect(refused.error).toMatchObject({ code: 'AMI_NOT_CONNECTED', state: 'reconnecting' });
    expect(client.health().reconnectAttempts).toBe(1);
    await until(() => client!.connectionState === 'connected', 'reconnected');
    await sleep(100);
    expect(originatesFor(pbx, 'offline-1')).toBe(0);
    expect(client.health().reconnectAttempts).toBe(0);
  });

  it('keeps retrying while the PBX refuses logins, exposing the error, and recovers', async () => {
    pbx = await startPbxSimulator({ timeScale: 1000 });
    client = clientFor(pbx).client;
    const attempts: number[] = [];
    client.onStateChange((state, health) => state === 'reconnecting' && attempts.push(health.reconnectAttempts));
    await client.connect();
    pbx.inject({ kind: 'refuse-logins', times: 2 });
    pbx.dropConnections();
    await until(() => client!.connectionState === 'reconnecting', 'reconnecting');
    await until(() => client!.connectionState === 'connected', 'reconnected');
    expect(attempts).toEqual([1, 2, 3]);
    expect(client.health().lastError).toMatchObject({ code: 'AMI_LOGIN_FAILED' });
  });

  it('lists a live call in the reconnect notification (CoreShowChannels)', async () => {
    pbx = await startPbxSimulator({ timeScale: 1 }); // real time: a no-answer call rings for its Timeout
    client = clientFor(pbx).client;
    const connections: AmiConnected[] = [];
    client.onConnected((connected) => connections.push(connected));
    await client.connect();
    await client.originate({ ...ORIGINATE, channel: 'PJSIP/15550103@trunk', channelId: 'live-1', variables: { __SIREN_CALL_ID: 'live' } });
    await until(() => pbx.stats().liveChannels === 1, 'call ringing');
    pbx.dropConnections();
    await until(() => connections.length === 2, 'reconnect notification');
    expect(connections[1]!.reconnected).toBe(true);
    expect(connections[1]!.channels).toEqual([expect.objectContaining({ event: 'CoreShowChannel', uniqueid: 'live-1', 'chanvariable.SIREN_CALL_ID': 'live' })]);
    await expect(client.coreShowChannels()).resolves.toHaveLength(1);
  });
});

describe('AmiClient keep-alive', () => {
  let silent: SilentPbx;
  let client: AmiClient | undefined;

  afterEach(async () => {
    await client?.close();
    client = undefined;
    await silent.close();
  });

  it('treats an unanswered Ping as a lost connection and reconnects', async () => {
    silent = await SilentPbx.start();
    client = clientFor(silent, { pingIntervalMs: 100, actionTimeoutMs: 1000 }).client;
    const states: string[] = [];
    client.onStateChange((state) => states.push(state));
    await client.connect();
    await until(() => states.length === 4, 'reconnected', 3000);
    expect(silent.accepted).toBe(2);
    expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    expect(client.health().lastError).toMatchObject({ code: 'AMI_TIMEOUT' });
  });
});

/** A PBX that logs in and lists no channels but never answers Ping, as a hung Asterisk would. */
class SilentPbx {
  accepted = 0;
  private readonly sockets = new Set<Socket>();
  private constructor(private readonly server: Server, readonly host: string, readonly port: number) {}

  static async start(): Promise<SilentPbx> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const pbx = new SilentPbx(server, '127.0.0.1', (server.address() as { port: number }).port);
    server.on('connection', (socket) => pbx.serve(socket));
    return pbx;
  }

  private serve(socket: Socket): void {
    this.accepted += 1;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    const reader = new AmiMessageReader();
    socket.write('Asterisk Call Manager/9.0.0\r\n');
    socket.on('data', (chunk) => {
      for (const message of reader.push(chunk)) {
        const action = header(message, 'Action')?.toLowerCase();
        const id = header(message, 'ActionID') ?? '';
        if (action === 'ping') continue;
        socket.write(serializeAmiMessage([['Response', 'Success'], ['ActionID', id]]));
        if (action === 'coreshowchannels') {
          socket.write(serializeAmiMessage([['Event', 'CoreShowChannelsComplete'], ['ActionID', id], ['ListItems', '0']]));
        }
      }
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
