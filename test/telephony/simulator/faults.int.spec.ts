import { header } from '../../../src/telephony/simulator/ami-frame';
import { type PbxSimulator, startPbxSimulator } from '../../../src/telephony/simulator';
import { AmiTestClient } from './ami-test-client';

const ORIGINATE = [['Channel', 'PJSIP/15550101@trunk'], ['Exten', 's'], ['Context', 'siren-autodial'], ['Async', 'true']] as const;

describe('PBX simulator: fault injection', () => {
  let pbx: PbxSimulator;
  let client: AmiTestClient;

  beforeEach(async () => {
    pbx = await startPbxSimulator({ timeScale: 1000 });
    client = await AmiTestClient.loggedIn(pbx.port);
  });
  afterEach(async () => {
    client.close();
    await pbx.close();
  });

  it('dropConnections closes every socket', async () => {
    const second = await AmiTestClient.loggedIn(pbx.port);
    pbx.dropConnections();
    await Promise.all([client.closed, second.closed]);
    expect(pbx.connections()).toBe(0);
  });

  it('drops the connections after N more actions', async () => {
    pbx.inject({ kind: 'drop-after', actions: 2 });
    await client.action('Ping');
    client.send('Ping');
    await client.closed;
  });

  it('drops the connections after N more events', async () => {
    pbx.inject({ kind: 'drop-after', events: 2 });
    await client.action('Originate', [...ORIGINATE]);
    await client.closed;
    expect(client.received.filter((m) => header(m, 'Event') !== undefined && header(m, 'Event') !== 'FullyBooted')).toHaveLength(2);
  });

  it('delays the Originate response when slow', async () => {
    pbx.inject({ kind: 'slow-originate', delayMs: 300, times: 1 });
    const started = Date.now();
    await client.action('Originate', [...ORIGINATE]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    const fast = Date.now();
    await client.action('Originate', [...ORIGINATE]);
    expect(Date.now() - fast).toBeLessThan(200);
  });

  it('fails Originates with "Originate failed" and dials nothing', async () => {
    pbx.inject({ kind: 'fail-originate', times: 1 });
    const response = await client.action('Originate', [...ORIGINATE]);
    expect(header(response, 'Response')).toBe('Error');
    expect(header(response, 'Message')).toBe('Originate failed');
    expect(pbx.log).toHaveLength(0);
    expect(pbx.stats().refusedOriginates).toBe(1);
  });

  it('refuses logins even with the right secret', async () => {
    pbx.inject({ kind: 'refuse-logins', times: 1 });
    const other = await AmiTestClient.connect(pbx.port);
    const response = await other.action('Login', [['Username', 'siren'], ['Secret', 'siren']]);
    expect(header(response, 'Message')).toBe('Authentication failed');
    await other.closed;
  });

  it.each(['garbage', 'header-without-colon', 'missing-blank-line'] as const)('sends a malformed frame (%s) and keeps serving', async (shape) => {
    pbx.inject({ kind: 'malformed-frame', shape });
    const pong = await client.action('Ping', [['ActionID', `after-${shape}`]]);
    if (shape === 'missing-blank-line') {
      // The broken frame swallowed the Ping response's first lines into itself, as a real reader would.
      expect(header(pong, 'Event')).toBe('Newexten');
    } else {
      expect(header(pong, 'Ping')).toBe('Pong');
      expect(client.reader.malformedLines.length).toBeGreaterThan(0);
    }
  });
});
