import { header, headers } from '../../../src/telephony/simulator/ami-frame';
import { type PbxSimulator, startPbxSimulator } from '../../../src/telephony/simulator';
import { AmiTestClient } from './ami-test-client';

describe('PBX simulator: actions on live channels', () => {
  let pbx: PbxSimulator;
  let client: AmiTestClient;

  beforeEach(async () => {
    // Real time: an answered call rings for seconds, long enough to inspect and hang up.
    pbx = await startPbxSimulator({ timeScale: 1, seed: 3 });
    client = await AmiTestClient.loggedIn(pbx.port);
  });
  afterEach(async () => {
    client.close();
    await pbx.close();
  });

  async function liveCall(callId: string): Promise<string> {
    await client.action('Originate', [
      ['Channel', 'PJSIP/15550101@trunk'], ['Context', 'siren-autodial'], ['Exten', '15550101'], ['Priority', '1'],
      ['Async', 'true'], ['ChannelId', `uid-${callId}`], ['Variable', `__SIREN_CALL_ID=${callId}`],
    ]);
    const created = await client.waitFor((m) => header(m, 'Event') === 'Newchannel' && header(m, 'Uniqueid') === `uid-${callId}`, 'Newchannel');
    return header(created, 'Channel')!;
  }

  it('lists a live call in CoreShowChannels, with its SIREN variables', async () => {
    const channel = await liveCall('live-1');
    const actionId = client.send('CoreShowChannels');
    const complete = await client.waitFor((m) => header(m, 'Event') === 'CoreShowChannelsComplete', 'list complete');
    expect(complete).toEqual([['Event', 'CoreShowChannelsComplete'], ['ActionID', actionId], ['EventList', 'Complete'], ['ListItems', '1']]);
    const start = client.received.find((m) => header(m, 'ActionID') === actionId && header(m, 'Response') !== undefined)!;
    expect(header(start, 'EventList')).toBe('start');
    const [item] = client.events('CoreShowChannel');
    expect(header(item!, 'Channel')).toBe(channel);
    expect(header(item!, 'Uniqueid')).toBe('uid-live-1');
    expect(header(item!, 'Linkedid')).toBe('uid-live-1');
    expect(header(item!, 'Duration')).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(headers(item!, 'ChanVariable')).toContain('SIREN_CALL_ID=live-1');
  });

  it('reports a channel in Status and refuses an unknown one', async () => {
    const channel = await liveCall('live-2');
    client.send('Status', [['Channel', channel]]);
    const complete = await client.waitFor((m) => header(m, 'Event') === 'StatusComplete', 'status complete');
    expect(header(complete, 'ListItems')).toBe('1');
    expect(header(client.events('Status')[0]!, 'Uniqueid')).toBe('uid-live-2');
    expect(header(await client.action('Status', [['Channel', 'PJSIP/nope-00000000']]), 'Message')).toBe('No such channel');
  });

  it('ends a live call with the Hangup action', async () => {
    const channel = await liveCall('live-3');
    const response = await client.action('Hangup', [['Channel', channel], ['Cause', '16']]);
    expect(header(response, 'Message')).toBe('Channel Hungup');
    const hangup = await client.waitFor((m) => header(m, 'Event') === 'Hangup' && header(m, 'Channel') === channel, 'Hangup');
    expect(header(hangup, 'Cause')).toBe('16');
    expect(pbx.stats().liveChannels).toBe(0);
    expect(pbx.log[0]!.cutShort).toBe('hangup-action');
    expect(header(await client.action('Hangup', [['Channel', channel]]), 'Message')).toBe('No such channel');
  });

  it('acknowledges MuteAudio and Redirect on a live channel', async () => {
    const channel = await liveCall('live-4');
    expect(header(await client.action('MuteAudio', [['Channel', channel], ['Direction', 'in'], ['State', 'on']]), 'Response')).toBe('Success');
    expect(header(await client.action('MuteAudio', [['Channel', channel], ['Direction', 'sideways'], ['State', 'on']]), 'Response')).toBe('Error');
    const redirect = await client.action('Redirect', [['Channel', channel], ['Context', 'siren-hold'], ['Exten', 's'], ['Priority', '1']]);
    expect(header(redirect, 'Message')).toBe('Redirect successful');
  });
});
