import { createServer } from 'node:net';
import type { AmiClient } from '../../../src/telephony/ami/ami-client';
import { AmiActionError, AmiConnectError, AmiLoginError, AmiNotConnectedError, AmiTimeoutError } from '../../../src/telephony/ami/ami-errors';
import { type PbxSimulator, startPbxSimulator } from '../../../src/telephony/simulator';
import { clientFor, outcome, sleep, until } from './ami-test-support';

const ORIGINATE = { context: 'siren-autodial', exten: 's', priority: 1, timeoutMs: 20_000, async: true as const };

describe('AmiClient against the PBX simulator', () => {
  let pbx: PbxSimulator;
  let client: AmiClient | undefined;

  beforeEach(async () => {
    pbx = await startPbxSimulator({ timeScale: 1000 });
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    await pbx.close();
  });

  it('logs in with events on, reports connected with the live channels, and pings', async () => {
    const made = clientFor(pbx);
    client = made.client;
    const states: string[] = [];
    client.onStateChange((state) => states.push(state));
    const connected = await client.connect();
    expect(connected).toEqual({ reconnected: false, channels: [] });
    expect(client.health()).toMatchObject({ state: 'connected', reconnectAttempts: 0 });
    expect(states).toEqual(['connecting', 'connected']);
    const pong = await client.ping();
    expect(pong).toMatchObject({ response: 'Success', ping: 'Pong' });
    expect(pong.actionid).toMatch(/^siren-[0-9a-f]{8}-\d+$/);
    await until(() => made.events.some((e) => e.event === 'FullyBooted'), 'FullyBooted event');
  });

  it('matches concurrent responses by ActionID', async () => {
    client = clientFor(pbx).client;
    await client.connect();
    const results = await Promise.all([
      ...Array.from({ length: 20 }, () => client!.ping()),
      client.coreShowChannels(),
      client.action({ Action: 'Events', EventMask: 'on' }),
      outcome(client.hangup('PJSIP/nobody-00000001')),
    ]);
    const pongs = results.slice(0, 20) as Array<Record<string, string>>;
    expect(new Set(pongs.map((p) => p.actionid)).size).toBe(20);
    for (const pong of pongs) expect(pong).toMatchObject({ response: 'Success', ping: 'Pong' });
    expect(results[20]).toEqual([]);
    expect(results[21]).toMatchObject({ response: 'Success', events: 'On' });
    const hangup = results[22] as { error?: unknown };
    expect(hangup.error).toBeInstanceOf(AmiActionError);
    expect(hangup.error).toMatchObject({ code: 'AMI_ACTION_FAILED', response: { message: 'No such channel' } });
  });

  it('times out a slow action with AmiTimeoutError and stays usable', async () => {
    client = clientFor(pbx).client;
    await client.connect();
    pbx.inject({ kind: 'slow-originate', delayMs: 600, times: 1 });
    const started = Date.now();
    const slow = await outcome(client.originate({ ...ORIGINATE, channel: 'PJSIP/15550101@trunk', channelId: 'slow-1', variables: {} }, { timeoutMs: 150 }));
    expect(slow.error).toBeInstanceOf(AmiTimeoutError);
    expect(slow.error).toMatchObject({ code: 'AMI_TIMEOUT', action: 'Originate', timeoutMs: 150 });
    expect(Date.now() - started).toBeLessThan(500);
    await sleep(700); // the late response arrives and is ignored
    expect(client.connectionState).toBe('connected');
    await expect(client.ping()).resolves.toMatchObject({ ping: 'Pong' });
  });

  it('originates and receives OriginateResponse and Hangup matched by the ChannelId', async () => {
    const made = clientFor(pbx);
    client = made.client;
    await client.connect();
    const queued = await client.originate({
      ...ORIGINATE,
      channel: 'PJSIP/15550101@trunk',
      callerId: '"Siren" <15550199>',
      channelId: 'it-answered-1',
      variables: { __SIREN_CALL_ID: 'call-1', __SIREN_CAMPAIGN_ID: 'camp-1' },
    });
    expect(queued).toMatchObject({ response: 'Success', message: 'Originate successfully queued' });
    const busy = await client.originate({ ...ORIGINATE, channel: 'PJSIP/15550102@trunk', channelId: 'it-busy-1', variables: { __SIREN_CALL_ID: 'call-2' } });
    await until(() => made.events.filter((e) => e.event === 'Hangup').length === 2, 'two Hangup events');

    const response = (id: string) => made.events.find((e) => e.event === 'OriginateResponse' && e.uniqueid === id);
    expect(response('it-answered-1')).toMatchObject({ response: 'Success', reason: '4', actionid: queued.actionid });
    expect(response('it-busy-1')).toMatchObject({ response: 'Failure', reason: '5', actionid: busy.actionid });
    const hangup = made.events.find((e) => e.event === 'Hangup' && e.uniqueid === 'it-answered-1');
    expect(hangup).toMatchObject({ cause: '16', 'chanvariable.SIREN_CALL_ID': 'call-1', 'chanvariable.SIREN_CAMPAIGN_ID': 'camp-1' });
    expect(pbx.log.map((entry) => entry.channelId)).toEqual(['it-answered-1', 'it-busy-1']);
  });

  it('surfaces a refused login as AmiLoginError and ends closed', async () => {
    client = clientFor(pbx, { secret: 'wrong' }).client;
    const result = await outcome(client.connect());
    expect(result.error).toBeInstanceOf(AmiLoginError);
    expect(result.error).toMatchObject({ code: 'AMI_LOGIN_FAILED', message: 'AMI login as "siren" failed: Authentication failed' });
    expect((result.error as Error).message).not.toContain('wrong');
    expect(client.health()).toMatchObject({ state: 'closed', lastError: { code: 'AMI_LOGIN_FAILED' } });
    await until(() => pbx.connections() === 0, 'socket closed');
  });

  it('surfaces an unreachable PBX as AmiConnectError', async () => {
    const port = await freePort();
    client = clientFor({ host: '127.0.0.1', port }).client;
    const result = await outcome(client.connect());
    expect(result.error).toBeInstanceOf(AmiConnectError);
    expect(result.error).toMatchObject({ code: 'AMI_CONNECT_FAILED' });
    expect((result.error as Error).message).toContain('ECONNREFUSED');
    expect(client.connectionState).toBe('closed');
  });

  it('rejects actions at once before connect and after close', async () => {
    client = clientFor(pbx).client;
    await expect(client.ping()).rejects.toBeInstanceOf(AmiNotConnectedError);
    await client.connect();
    await client.close();
    await expect(client.ping()).rejects.toMatchObject({ code: 'AMI_NOT_CONNECTED', state: 'closed' });
    await until(() => pbx.connections() === 0, 'socket closed');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      server.close(() => resolve(address.port));
    });
  });
}
