import { header } from '../../../src/telephony/simulator/ami-frame';
import { type PbxSimulator, startPbxSimulator } from '../../../src/telephony/simulator';
import { AmiTestClient } from './ami-test-client';

describe('PBX simulator: AMI session protocol', () => {
  let pbx: PbxSimulator;
  const clients: AmiTestClient[] = [];
  const track = (client: AmiTestClient) => (clients.push(client), client);

  beforeAll(async () => {
    pbx = await startPbxSimulator({ username: 'siren', secret: 'siren' });
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  afterAll(() => pbx.close());

  it('greets with the Asterisk Call Manager banner', async () => {
    const client = track(await AmiTestClient.connect(pbx.port));
    expect(client.reader.banner).toBe('Asterisk Call Manager/9.0.0');
  });

  it('accepts the configured login, then sends FullyBooted', async () => {
    const client = track(await AmiTestClient.connect(pbx.port));
    const response = await client.action('Login', [['Username', 'siren'], ['Secret', 'siren'], ['ActionID', 'login-1']]);
    expect(response).toEqual([['Response', 'Success'], ['ActionID', 'login-1'], ['Message', 'Authentication accepted']]);
    const booted = await client.waitFor((m) => header(m, 'Event') === 'FullyBooted', 'FullyBooted');
    expect(header(booted, 'Status')).toBe('Fully Booted');
  });

  it('refuses a wrong secret with "Authentication failed" and closes the connection', async () => {
    const client = track(await AmiTestClient.connect(pbx.port));
    const response = await client.action('Login', [['Username', 'siren'], ['Secret', 'wrong']]);
    expect(header(response, 'Response')).toBe('Error');
    expect(header(response, 'Message')).toBe('Authentication failed');
    await client.closed;
  });

  it('answers actions before login with "Permission denied" and a message without Action with "Missing action in request"', async () => {
    const client = track(await AmiTestClient.connect(pbx.port));
    const denied = await client.action('Ping', [['ActionID', 'early']]);
    expect(denied).toEqual([['Response', 'Error'], ['ActionID', 'early'], ['Message', 'Permission denied']]);
    client.socket.write('ActionID: none\r\n\r\n');
    const missing = await client.waitFor((m) => header(m, 'ActionID') === 'none', 'missing action');
    expect(header(missing, 'Message')).toBe('Missing action in request');
  });

  it('answers Ping with Pong, a timestamp and the ActionID', async () => {
    const client = track(await AmiTestClient.loggedIn(pbx.port));
    const pong = await client.action('Ping', [['ActionID', 'ping:42']]);
    expect(pong.map(([name]) => name)).toEqual(['Response', 'ActionID', 'Ping', 'Timestamp']);
    expect(header(pong, 'ActionID')).toBe('ping:42');
    expect(header(pong, 'Ping')).toBe('Pong');
    expect(header(pong, 'Timestamp')).toMatch(/^\d{10}\.\d{6}$/);
  });

  it('parses LF-only actions with lower-case keys', async () => {
    const client = track(await AmiTestClient.loggedIn(pbx.port));
    client.socket.write('action: ping\nactionid: lf-1\n\n');
    const pong = await client.waitFor((m) => header(m, 'ActionID') === 'lf-1', 'LF ping');
    expect(header(pong, 'Ping')).toBe('Pong');
  });

  it('rejects an unknown action as Asterisk does', async () => {
    const client = track(await AmiTestClient.loggedIn(pbx.port));
    const response = await client.action('NoSuchAction');
    expect(header(response, 'Response')).toBe('Error');
    expect(header(response, 'Message')).toBe('Invalid/unknown command: NoSuchAction. Use Action: ListCommands to show available commands.');
  });

  it('turns events off and on with the Events action', async () => {
    const client = track(await AmiTestClient.loggedIn(pbx.port));
    expect(header(await client.action('Events', [['EventMask', 'off']]), 'Events')).toBe('Off');
    expect(header(await client.action('Events', [['EventMask', 'call,dtmf']]), 'Events')).toBe('On');
  });

  it('says Goodbye to Logoff and closes', async () => {
    const client = track(await AmiTestClient.loggedIn(pbx.port));
    const response = await client.action('Logoff');
    expect(header(response, 'Response')).toBe('Goodbye');
    await client.closed;
  });
});
