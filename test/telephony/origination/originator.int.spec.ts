import type { AmiClient } from '../../../src/telephony/ami/ami-client';
import type { AmiEvent } from '../../../src/telephony/ami/ami-fields';
import {
  type CallToDial,
  Originator,
  callIdFor,
  channelIdFor,
  isCarrierFailure,
  parseTelephonyConfig,
  trackingId,
} from '../../../src/telephony/origination';
import { type PbxSimulator, startPbxSimulator } from '../../../src/telephony/simulator';
import { clientFor, sleep, until } from '../ami/ami-test-support';

const SIREN_VARS = ['SIREN_CALL_ID', 'SIREN_CAMPAIGN_ID', 'SIREN_TRACKING_ID', 'SIREN_AGENT_ID'];
const config = parseTelephonyConfig({
  SIREN_DIAL_PREFIX: '9',
  SIREN_ROUTES: 'main=carrierA:3,carrierB:1',
  SIREN_TRUNK_TEMPLATES: 'carrierB=SIP/{number}@carrierB',
  SIREN_ORIGINATE_TIMEOUT_MS: '20000',
});

function autodialCall(contact: number, phone: string, overrides: Partial<CallToDial> = {}): CallToDial {
  return {
    callId: callIdFor('camp-int', `contact-${contact}`, 1),
    campaignId: 'camp-int',
    agentId: 'agent-7',
    phone,
    trackingId: trackingId('JKD', contact, 1),
    kind: 'autodial',
    route: 'main',
    callerId: '+15550199',
    ...overrides,
  };
}

describe('Originator against the PBX simulator over TCP', () => {
  let pbx: PbxSimulator;
  let client: AmiClient;
  let events: AmiEvent[];

  beforeEach(async () => {
    pbx = await startPbxSimulator({ seed: 5, timeScale: 1000, outcomes: 'last-digit', channelVars: SIREN_VARS });
    ({ client, events } = clientFor(pbx));
    await client.connect();
  });
  afterEach(async () => {
    await client.close();
    await pbx.close();
  });

  it('sends exactly one Originate for an auto-dial call, and its events come back carrying SIREN_CALL_ID', async () => {
    const originator = new Originator(client, config);
    const call = autodialCall(1, '+15550100'); // last digit 0: answered, presses 1
    const trunk = originator.firstTrunk(call);
    const channel = trunk === 'carrierA' ? 'PJSIP/915550100@carrierA' : 'SIP/15550100@carrierB';
    const channelId = channelIdFor(call.callId);

    const result = await originator.originate(call);
    expect(result).toMatchObject({ status: 'queued', trunk, channel, channelId });
    await until(() => events.some((e) => e.event === 'Hangup' && e.uniqueid === channelId), 'Hangup of the call');

    expect(pbx.log).toHaveLength(1);
    expect(pbx.log[0]).toMatchObject({
      dialString: channel,
      channelId,
      actionId: result.status === 'queued' ? result.actionId : undefined,
      sirenVariables: { SIREN_CALL_ID: call.callId, SIREN_CAMPAIGN_ID: 'camp-int', SIREN_TRACKING_ID: 'JKD1.1', SIREN_AGENT_ID: 'agent-7' },
      outcome: 'answered',
    });
    expect(pbx.stats().duplicateCallIds).toEqual([]);

    const newchannel = events.find((e) => e.event === 'Newchannel' && e.uniqueid === channelId);
    expect(newchannel).toMatchObject({ context: 'siren-autodial', exten: 's', calleridnum: '15550199' });
    const response = events.find((e) => e.event === 'OriginateResponse' && e.uniqueid === channelId);
    expect(response).toMatchObject({ response: 'Success', reason: '4', context: 'siren-autodial', calleridnum: '15550199', 'chanvariable.SIREN_CALL_ID': call.callId });
    const hangup = events.find((e) => e.event === 'Hangup' && e.uniqueid === channelId);
    expect(hangup).toMatchObject({ cause: '16', 'chanvariable.SIREN_CALL_ID': call.callId, 'chanvariable.SIREN_TRACKING_ID': 'JKD1.1' });
    const ivr = events.find((e) => e.event === 'UserEvent' && e.userevent === 'AutoDialResponse');
    expect(ivr).toMatchObject({ uniqueid: channelId, pressedone: 'Yes' });
  });

  it('on congestion the saga requests a new call on the next trunk; the route then runs out', async () => {
    const originator = new Originator(client, config);
    const first = autodialCall(2, '+15550104'); // last digit 4: congestion, Reason 8
    const sent = await originator.originate(first);
    expect(sent.status).toBe('queued');
    await until(() => events.some((e) => e.event === 'OriginateResponse' && e.uniqueid === sent.channelId), 'first OriginateResponse');
    const failed = events.find((e) => e.event === 'OriginateResponse' && e.uniqueid === sent.channelId)!;
    expect(failed).toMatchObject({ response: 'Failure', reason: '8', channel: sent.channel });
    expect(isCarrierFailure({ reason: Number(failed.reason) })).toBe(true);

    // Failover is a new call (next attempt) pinned to the next trunk: a call id is dialed once only.
    const nextTrunk = originator.nextTrunk(first, [sent.trunk])!;
    expect(nextTrunk).not.toBe(sent.trunk);
    const second = { ...first, callId: callIdFor('camp-int', 'contact-2', 2), trackingId: trackingId('JKD', 2, 2), trunk: nextTrunk };
    const resent = await originator.originate(second);
    expect(resent).toMatchObject({ status: 'queued', trunk: nextTrunk });
    await until(() => events.some((e) => e.event === 'OriginateResponse' && e.uniqueid === resent.channelId), 'second OriginateResponse');
    expect(originator.nextTrunk(second, [sent.trunk, nextTrunk])).toBeUndefined();

    expect(pbx.log.map((e) => [e.channelId, e.sirenVariables.SIREN_CALL_ID])).toEqual([
      [sent.channelId, first.callId],
      [resent.channelId, second.callId],
    ]);
    expect(pbx.log.map((e) => e.outcome)).toEqual(['congestion', 'congestion']);
    expect(pbx.stats().duplicateCallIds).toEqual([]);
  });

  it('a refused Originate is reported, and a timed-out one is never re-sent', async () => {
    const originator = new Originator(client, config, { actionTimeoutMs: 150 });
    pbx.inject({ kind: 'fail-originate', times: 1 });
    const refused = await originator.originate(autodialCall(3, '+15550101'));
    expect(refused).toMatchObject({ status: 'refused', reason: 'Originate failed' });
    expect(pbx.log).toHaveLength(0);

    pbx.inject({ kind: 'slow-originate', delayMs: 400, times: 1 });
    const slow = await originator.originate(autodialCall(4, '+15550101'));
    expect(slow.status).toBe('unknown');
    await sleep(600); // the late response arrives; the call was placed — once
    expect(pbx.log.map((e) => e.channelId)).toEqual([slow.channelId]);
    expect(client.connectionState).toBe('connected');
  });
});
