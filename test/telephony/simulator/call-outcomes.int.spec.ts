import { type AmiHeader, type AmiMessage, header, headers } from '../../../src/telephony/simulator/ami-frame';
import { type OriginateResponseOrder, type PbxSimulator, startPbxSimulator } from '../../../src/telephony/simulator';
import { AmiTestClient, callEventNames } from './ami-test-client';

/** A 30 s ring lasts 15 ms: every outcome plays in well under a second. */
const TIME_SCALE = 2000;

function originateFields(number: string, callId: string, extra: AmiHeader[] = []): AmiHeader[] {
  return [
    ['Channel', `PJSIP/${number}@trunk-main`],
    ['Context', 'siren-autodial'],
    ['Exten', number],
    ['Priority', '1'],
    ['CallerID', '"Siren" <15550001>'],
    ['Timeout', '30000'],
    ['Async', 'true'],
    ['Variable', `__SIREN_CALL_ID=${callId}`],
    ['Variable', '__SIREN_CAMPAIGN_ID=camp-1'],
    ['Variable', `__SIREN_TRACKING_ID=JKD1.${callId}`],
    ...extra,
  ];
}

describe('PBX simulator: call outcomes by last digit', () => {
  let pbx: PbxSimulator;
  let client: AmiTestClient;

  async function start(order: OriginateResponseOrder = 'seeded') {
    pbx = await startPbxSimulator({ timeScale: TIME_SCALE, seed: 7, originateResponseOrder: order });
    client = await AmiTestClient.loggedIn(pbx.port);
  }
  afterEach(async () => {
    client.close();
    await pbx.close();
  });

  /** Originates with ChannelId = `uid-<callId>` and waits until the call has hung up and been reported. */
  async function call(number: string, callId: string, extra: AmiHeader[] = []) {
    const uniqueid = `uid-${callId}`;
    const response = await client.action('Originate', originateFields(number, callId, [['ChannelId', uniqueid], ...extra]));
    expect(response).toEqual([['Response', 'Success'], ['ActionID', header(response, 'ActionID')], ['Message', 'Originate successfully queued']]);
    const actionId = header(response, 'ActionID')!;
    const originateResponse = await client.waitFor((m) => header(m, 'Event') === 'OriginateResponse' && header(m, 'ActionID') === actionId, 'OriginateResponse');
    const failed = header(originateResponse, 'Response') === 'Failure' && header(originateResponse, 'Reason') === '0' && number.endsWith('5');
    if (!failed) await client.waitFor((m) => header(m, 'Event') === 'Hangup' && header(m, 'Uniqueid') === uniqueid, 'Hangup');
    const event = (name: string, match: (m: AmiMessage) => boolean = () => true) =>
      client.received.find((m) => header(m, 'Event') === name && (header(m, 'Uniqueid') === uniqueid || header(m, 'DestUniqueid') === uniqueid) && match(m));
    return { uniqueid, actionId, originateResponse, names: callEventNames(client, uniqueid, actionId), event };
  }

  it('answered, presses 1: ringing, answer, DTMF 1, AutoDialResponse with the SIREN_ variables, Hangup 16', async () => {
    await start();
    const c = await call('15550100', 'a1');
    expect(c.names).toEqual([
      'Newchannel', 'DialBegin', 'Newstate', 'Newstate', 'DialEnd', 'OriginateResponse',
      'DTMFBegin', 'DTMFEnd', 'UserEvent:AutoDialResponse', 'Hangup',
    ]);
    expect(c.originateResponse).toEqual(expect.arrayContaining([
      ['Response', 'Success'], ['Reason', '4'], ['Uniqueid', 'uid-a1'], ['Channel', expect.stringMatching(/^PJSIP\/trunk-main-[0-9a-f]{8}$/)],
    ]));
    expect(header(c.event('Newstate', (m) => header(m, 'ChannelState') === '5')!, 'ChannelStateDesc')).toBe('Ringing');
    expect(header(c.event('DTMFEnd')!, 'Digit')).toBe('1');
    expect(header(c.event('DTMFEnd')!, 'Direction')).toBe('Received');
    const response = c.event('UserEvent')!;
    expect(response).toEqual(expect.arrayContaining([
      ['SIREN_CALL_ID', 'a1'], ['SIREN_CAMPAIGN_ID', 'camp-1'], ['SIREN_TRACKING_ID', 'JKD1.a1'], ['Digit', '1'], ['PressedOne', 'Yes'],
    ]));
    const hangup = c.event('Hangup')!;
    expect(header(hangup, 'Cause')).toBe('16');
    expect(header(hangup, 'Cause-txt')).toBe('Normal Clearing');
    expect(headers(hangup, 'ChanVariable')).toContain('SIREN_CALL_ID=a1');
    expect(header(hangup, 'Linkedid')).toBe('uid-a1');
  });

  it('answered without a press: AutoDialResponse says PressedOne No, no DTMF', async () => {
    await start();
    const c = await call('15550101', 'a2');
    expect(c.names).not.toContain('DTMFEnd');
    expect(header(c.event('UserEvent')!, 'PressedOne')).toBe('No');
  });

  it('busy: Failure Reason 5 with the ChannelId as Uniqueid, the dial string as Channel, Hangup 17', async () => {
    await start();
    const c = await call('15550102', 'b1');
    expect(c.originateResponse).toEqual(expect.arrayContaining([
      ['Response', 'Failure'], ['Reason', '5'], ['Uniqueid', 'uid-b1'], ['Channel', 'PJSIP/15550102@trunk-main'],
    ]));
    expect(header(c.event('Hangup')!, 'Cause')).toBe('17');
    expect(header(c.event('Hangup')!, 'Cause-txt')).toBe('User busy');
    expect(header(c.event('DialEnd')!, 'DialStatus')).toBe('BUSY');
  });

  it('busy without a ChannelId: Uniqueid <unknown>, matched only by ActionID', async () => {
    await start();
    const actionId = client.send('Originate', originateFields('15550112', 'b2'));
    const response = await client.waitFor((m) => header(m, 'Event') === 'OriginateResponse' && header(m, 'ActionID') === actionId, 'OriginateResponse');
    expect(header(response, 'Uniqueid')).toBe('<unknown>');
    expect(header(response, 'Reason')).toBe('5');
  });

  it.each([
    ['no answer', '15550103', '3', '19', 'NOANSWER'],
    ['congestion', '15550104', '8', '34', 'CONGESTION'],
    ['carrier failure', '15550107', '8', '38', 'CONGESTION'],
    ['invalid number', '15550109', '0', '1', 'CHANUNAVAIL'],
  ])('%s: number %s → Reason %s, Hangup cause %s', async (_name, number, reason, cause, dialStatus) => {
    await start();
    const c = await call(number, `f${number}`);
    expect(header(c.originateResponse, 'Response')).toBe('Failure');
    expect(header(c.originateResponse, 'Reason')).toBe(reason);
    expect(header(c.event('Hangup')!, 'Cause')).toBe(cause);
    expect(header(c.event('DialEnd')!, 'DialStatus')).toBe(dialStatus);
  });

  it('failed: Reason 0 and no channel at all', async () => {
    await start();
    const c = await call('15550105', 'x1');
    expect(c.names).toEqual(['OriginateResponse']);
    expect(header(c.originateResponse, 'Reason')).toBe('0');
    expect(header(c.originateResponse, 'Uniqueid')).toBe('uid-x1');
  });

  it('machine: AMD says MACHINE, then hang-up without DTMF or AutoDialResponse', async () => {
    await start();
    const c = await call('15550106', 'm1');
    expect(c.names.slice(-2)).toEqual(['UserEvent:AMDResult', 'Hangup']);
    expect(c.event('UserEvent')).toEqual(expect.arrayContaining([['AMDSTATUS', 'MACHINE'], ['SIREN_CALL_ID', 'm1']]));
    expect(c.names).not.toContain('DTMFBegin');
  });

  it('runs AMD on a human when the channel asks for it (SIREN_AMD), before the prompt', async () => {
    await start();
    const c = await call('15550100', 'h1', [['Variable', 'SIREN_AMD=1']]);
    expect(c.names.indexOf('UserEvent:AMDResult')).toBeLessThan(c.names.indexOf('DTMFBegin'));
    expect(header(c.event('UserEvent', (m) => header(m, 'UserEvent') === 'AMDResult')!, 'AMDSTATUS')).toBe('HUMAN');
  });

  it('puts the OriginateResponse before or after the Hangup as configured', async () => {
    await start('before-hangup');
    const before = await call('15550102', 'o1');
    expect(before.names.indexOf('OriginateResponse')).toBeLessThan(before.names.indexOf('Hangup'));
    client.close();
    await pbx.close();
    await start('after-hangup');
    const after = await call('15550102', 'o2');
    expect(after.names.indexOf('OriginateResponse')).toBeGreaterThan(after.names.indexOf('Hangup'));
  });

  it('shows channelvars empty on Newchannel and filled afterwards, as Asterisk does', async () => {
    await start();
    const c = await call('15550101', 'v1');
    expect(headers(c.event('Newchannel')!, 'ChanVariable')).toContain('SIREN_CALL_ID=');
    expect(headers(c.event('Newstate')!, 'ChanVariable')).toContain('SIREN_CALL_ID=v1');
  });

  it('logs every accepted Originate with its outcome and variables', async () => {
    await start();
    await call('15550100', 'l1');
    await call('15550102', 'l2');
    expect(pbx.log.map(({ outcome, digit, channelId, sirenVariables }) => ({ outcome, digit, channelId, id: sirenVariables.SIREN_CALL_ID }))).toEqual([
      { outcome: 'answered', digit: '1', channelId: 'uid-l1', id: 'l1' },
      { outcome: 'busy', digit: undefined, channelId: 'uid-l2', id: 'l2' },
    ]);
    expect(pbx.stats()).toMatchObject({ originated: 2, pressedOne: 1, duplicateCallIds: [], byOutcome: { answered: 1, busy: 1 } });
  });

  it('refuses an Originate without a usable channel as Asterisk does', async () => {
    await start();
    expect(header(await client.action('Originate', [['Exten', '1']]), 'Message')).toBe('Channel not specified');
    expect(header(await client.action('Originate', [['Channel', 'nonsense']]), 'Message')).toBe('Invalid channel');
    expect(pbx.log).toHaveLength(0);
  });
});
