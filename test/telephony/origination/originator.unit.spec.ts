import type { OriginateParams } from '../../../src/telephony/ami/ami-actions';
import { AmiActionError, AmiConnectionLostError, AmiInjectionError, AmiNotConnectedError, AmiTimeoutError } from '../../../src/telephony/ami/ami-errors';
import type { AmiResponse } from '../../../src/telephony/ami/ami-fields';
import { type CallToDial, type OriginateClient, Originator, callIdFor, parseTelephonyConfig } from '../../../src/telephony/origination';

const config = parseTelephonyConfig({ SIREN_ROUTES: 'main=carrierA:1,carrierB:1,carrierC:0' });
const call: CallToDial = {
  callId: callIdFor('camp-1', 'contact-1', 1),
  campaignId: 'camp-1',
  agentId: 'agent-1',
  phone: '+15550100',
  trackingId: 'JKD1.1',
  kind: 'autodial',
  callerId: '+15550199',
};

/** Records every Originate; answers with whatever the test queued (a response or an error). */
class FakeClient implements OriginateClient {
  readonly sent: OriginateParams[] = [];
  constructor(private readonly answers: Array<AmiResponse | Error>) {}
  async originate(params: OriginateParams): Promise<AmiResponse> {
    this.sent.push(params);
    const answer = this.answers.shift() ?? { response: 'Success', actionid: `a-${this.sent.length}` };
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

describe('Originator', () => {
  it('sends one Originate on the first trunk and reports it queued', async () => {
    const client = new FakeClient([{ response: 'Success', actionid: 'a-1', message: 'Originate successfully queued' }]);
    const originator = new Originator(client, config);
    const first = originator.firstTrunk(call);
    const result = await originator.originate(call);
    expect(result).toMatchObject({ status: 'queued', callId: call.callId, trunk: first, actionId: 'a-1', channel: `PJSIP/15550100@${first}` });
    expect(client.sent).toHaveLength(1);
    expect(client.sent[0]).toEqual(result.params);
    expect(client.sent[0]!.channelId).toBe(result.channelId);
  });

  it('reports Response: Error as refused, without re-sending; the same call may then go out on nextTrunk', async () => {
    const client = new FakeClient([new AmiActionError('Originate', { response: 'Error', message: 'Originate failed' })]);
    const originator = new Originator(client, config);
    const refused = await originator.originate(call);
    expect(refused).toMatchObject({ status: 'refused', reason: 'Originate failed' });
    expect(client.sent).toHaveLength(1);

    const next = originator.nextTrunk(call, refused.trunk)!;
    expect(next).not.toBe(refused.trunk);
    const second = await originator.originate(call, { trunk: next });
    expect(second).toMatchObject({ status: 'queued', trunk: next, channel: `PJSIP/15550100@${next}` });
    expect(client.sent).toHaveLength(2);
    // The standby trunk comes last, then nothing.
    expect(originator.nextTrunk(call, [refused.trunk, next])).toBe('carrierC');
    expect(originator.nextTrunk(call, [refused.trunk, next, 'carrierC'])).toBeUndefined();
    expect(originator.trunkOrder(call)).toEqual([refused.trunk, next, 'carrierC']);
  });

  it.each([
    ['a timeout', new AmiTimeoutError('Originate', 'a-1', 100)],
    ['a lost connection', new AmiConnectionLostError('Originate', 'a-1')],
    ['anything else', new Error('socket hang up')],
  ])('reports %s as unknown and never re-sends', async (_, error) => {
    const client = new FakeClient([error]);
    const result = await new Originator(client, config).originate(call);
    expect(result).toMatchObject({ status: 'unknown', error });
    expect(client.sent).toHaveLength(1);
  });

  it('reports not connected as not-sent', async () => {
    const client = new FakeClient([new AmiNotConnectedError('Originate', 'reconnecting')]);
    const result = await new Originator(client, config).originate(call);
    expect(result).toMatchObject({ status: 'not-sent' });
  });

  it('throws on hostile input before anything is sent', async () => {
    const client = new FakeClient([]);
    const originator = new Originator(client, config);
    await expect(originator.originate({ ...call, campaignId: 'x\r\nAction: Originate' })).rejects.toBeInstanceOf(AmiInjectionError);
    await expect(originator.originate({ ...call, kind: 'agent-first' })).rejects.toMatchObject({ code: 'AGENT_PHONE_MISSING' });
    expect(client.sent).toHaveLength(0);
  });

  it('originates agent-first calls with the agent line', async () => {
    const client = new FakeClient([]);
    const result = await new Originator(client, config).originate(
      { ...call, kind: 'agent-first', callerId: undefined },
      { agent: { agentId: 'agent-1', phone: '+15550142', manualCallerId: '+15550177' }, trunk: 'carrierB' },
    );
    expect(result).toMatchObject({ status: 'queued', trunk: 'carrierB', channel: 'PJSIP/15550142@carrierB' });
    expect(client.sent[0]!.variables).toMatchObject({ __SIREN_TARGET_DIAL: 'PJSIP/15550100@carrierB', SIREN_TARGET_CALLERID: '15550177' });
  });
});
