import type { AmiClient } from '../../../src/telephony/ami/ami-client';
import { AmiInjectionError } from '../../../src/telephony/ami/ami-errors';
import { type PbxSimulator, startPbxSimulator } from '../../../src/telephony/simulator';
import { clientFor, outcome, sleep } from './ami-test-support';

const INJECTED = '\r\n\r\nAction: Originate\r\nChannel: PJSIP/19005550100@trunk\r\nContext: siren-autodial\r\nExten: s\r\nChannelId: injected\r\n';
const ORIGINATE = {
  channel: 'PJSIP/15550101@trunk', context: 'siren-autodial', exten: 's', priority: 1, timeoutMs: 20_000,
  channelId: 'safe-1', callerId: '15550199', variables: { __SIREN_CAMPAIGN_NAME: 'Spring' }, async: true as const,
};

describe('AMI injection over TCP', () => {
  let pbx: PbxSimulator;
  let client: AmiClient;

  beforeAll(async () => {
    pbx = await startPbxSimulator({ timeScale: 1000 });
    client = clientFor(pbx).client;
    await client.connect();
  });
  afterAll(async () => {
    await client.close();
    await pbx.close();
  });

  it.each([
    ['caller ID', { callerId: `"Sales" <15550199>${INJECTED}` }],
    ['campaign name', { variables: { __SIREN_CAMPAIGN_NAME: `Spring${INJECTED}` } }],
    ['number', { channel: `PJSIP/15550101${INJECTED}@trunk` }],
    ['context', { context: `siren-autodial${INJECTED}` }],
    ['channel id', { channelId: `safe-1${INJECTED}` }],
  ])('refuses an Originate whose %s carries an injected action, and writes nothing', async (_field, overrides) => {
    const refused = await outcome(client.originate({ ...ORIGINATE, ...overrides }));
    expect(refused.error).toBeInstanceOf(AmiInjectionError);
    expect(refused.error).toMatchObject({ code: 'AMI_UNSAFE_VALUE' });
    await client.ping(); // anything written would have reached the PBX before this answer
    await sleep(50);
    expect(pbx.log).toHaveLength(0);
    expect(pbx.stats().refusedOriginates).toBe(0);
    expect(client.connectionState).toBe('connected');
  });

  it('refuses injection through a raw action too', async () => {
    await expect(client.action({ Action: 'Hangup', Channel: `PJSIP/x-1${INJECTED}` })).rejects.toMatchObject({ code: 'AMI_UNSAFE_VALUE', field: 'Channel' });
    await expect(client.action({ Action: `Ping${INJECTED}` })).rejects.toMatchObject({ code: 'AMI_UNSAFE_VALUE', field: 'Action' });
    await client.ping();
    expect(pbx.log).toHaveLength(0);
  });
});
