import { RecordHangup } from '../../../src/calls/record-hangup/record-hangup.command';
import { RecordOriginateFailure } from '../../../src/calls/record-originate-failure/record-originate-failure.command';
import { RequestCall } from '../../../src/calls/request-call/request-call.command';
import type { NewEvent } from '../../../src/eventstore/event-store.port';
import type { SirenCommand } from '../../../src/shared/command';
import { DomainError } from '../../../src/shared/domain-error';
import { ChannelTracker } from '../../../src/telephony/ami-events/channel-tracker';
import { DialerActions } from '../../../src/telephony/dialer';
import { campaignCode, channelIdFor } from '../../../src/telephony/origination/call-ids';
import type { OriginateResult } from '../../../src/telephony/origination/originator';
import type { DialDecision } from '../../../src/telephony/saga';

const dial: DialDecision = {
  kind: 'dial',
  campaignId: 'camp-1',
  contactId: 'c-7',
  phone: '+12025550107',
  attempt: 2,
  callId: 'call-7-2',
  sequence: 7,
  agentId: 'agent-1',
  route: 'main',
  callerId: '+12025550100',
  trunkHint: 'trunk-main',
};

type Status = OriginateResult['status'];

function setup(options: { status?: Status; refuse?: string } = {}) {
  const commands: SirenCommand<unknown>[] = [];
  const appended: Array<{ streamId: string; events: NewEvent[] }> = [];
  const order: string[] = [];
  const tracker = new ChannelTracker();
  const hangups: string[] = [];
  const actions = new DialerActions({
    eventStore: {
      append: async (streamId, events) => {
        appended.push({ streamId, events });
        return { nextRevision: 0, position: 1n };
      },
    },
    dispatch: async (command) => {
      commands.push(command);
      if (options.refuse !== undefined && command.type === 'RequestCall') throw new DomainError(options.refuse, 'refused');
      return { streamId: 'x', revision: 0, appended: 1 };
    },
    ami: { hangup: async (channel) => void hangups.push(channel) },
    originator: {
      originate: async (call) => {
        const requested = commands.some((c) => c.type === 'RequestCall' && (c as RequestCall).callId === call.callId);
        order.push(`originate (${tracker.call(call.callId) ? 'tracked' : 'untracked'}, ${requested ? 'after' : 'before'} RequestCall)`);
        const status = options.status ?? 'queued';
        return { status, actionId: 'act-1', reason: 'Originate failed', callId: call.callId } as unknown as OriginateResult;
      },
    },
    tracker,
    clock: { now: () => new Date('2024-03-04T10:00:00Z') },
  });
  return { actions, commands, appended, order, tracker, hangups };
}

describe('DialerActions', () => {
  it('appends RequestCall first, registers the call with the tracker, then originates', async () => {
    const { actions, commands, order, tracker } = setup();
    const { sending } = await actions.record(dial);
    expect(commands).toHaveLength(1);
    await sending;
    const request = commands[0] as RequestCall;
    expect(request).toBeInstanceOf(RequestCall);
    expect(request).toMatchObject({
      callId: 'call-7-2',
      campaignId: 'camp-1',
      contactId: 'c-7',
      phone: '+12025550107',
      attempt: 2,
      kind: 'autodial',
      trunk: 'trunk-main',
      callerId: '+12025550100',
      trackingId: `${campaignCode('camp-1')}7.2`,
    });
    expect(order).toEqual(['originate (tracked, after RequestCall)']);
    expect(tracker.call('call-7-2')?.channelId).toBe(channelIdFor('call-7-2'));
    expect(tracker.byAction('act-1')?.callId).toBe('call-7-2');
  });

  it.each<Status>(['refused', 'not-sent'])('records an Originate %s as RecordOriginateFailure for the policy to judge', async (status) => {
    const { actions, commands, tracker } = setup({ status });
    await (await actions.record(dial)).sending;
    expect(commands.map((c) => c.type)).toEqual(['RequestCall', 'RecordOriginateFailure']);
    expect(commands[1]).toEqual(expect.objectContaining({ callId: 'call-7-2', reason: 'Originate failed' }));
    expect(commands[1]).toBeInstanceOf(RecordOriginateFailure);
    expect(tracker.call('call-7-2')).toBeUndefined();
  });

  it('leaves an Originate of unknown outcome alone: no command, still tracked for its events', async () => {
    const { actions, commands, tracker } = setup({ status: 'unknown' });
    await (await actions.record(dial)).sending;
    expect(commands.map((c) => c.type)).toEqual(['RequestCall']);
    expect(tracker.call('call-7-2')).toBeDefined();
  });

  it('does not originate a call whose RequestCall was refused as a duplicate', async () => {
    const { actions, order } = setup({ refuse: 'CALL_ALREADY_EXISTS' });
    const { sending } = await actions.record(dial);
    expect(sending).toBeUndefined();
    expect(order).toEqual([]);
  });

  it('closes a call in doubt as unknown', async () => {
    const { actions, commands } = setup();
    await actions.record({ kind: 'close-unknown', callId: 'call-9', campaignId: 'camp-1', contactId: 'c-9' });
    expect(commands).toHaveLength(1);
    expect(commands[0]).toBeInstanceOf(RecordHangup);
    expect(commands[0]).toEqual(expect.objectContaining({ callId: 'call-9', cause: 0, disposition: 'unknown' }));
  });

  it('skips a do-not-call contact with an event id that makes a repeat a no-op', async () => {
    const { actions, appended } = setup();
    const skip = { kind: 'skip-dnc', campaignId: 'camp-1', contactId: 'c-3', phone: '+12025550103' } as const;
    await actions.record(skip);
    await actions.record(skip);
    expect(appended.map((a) => a.streamId)).toEqual(['dialer-camp-1', 'dialer-camp-1']);
    expect(appended[0]!.events[0]).toMatchObject({ type: 'ContactSkipped', data: { contactId: 'c-3', reason: 'do-not-call' } });
    expect(appended[0]!.events[0]!.id).toBeDefined();
    expect(appended[1]!.events[0]!.id).toBe(appended[0]!.events[0]!.id);
  });

  it('hangs up a cancelled campaign call on its channel once', async () => {
    const { actions, tracker, hangups } = setup();
    tracker.originated({ callId: 'call-5', channelId: channelIdFor('call-5') });
    tracker.bindPrimary(tracker.call('call-5')!, channelIdFor('call-5'), 'PJSIP/12025550105@trunk-main-00000001');
    const decision = { kind: 'hangup', campaignId: 'camp-1', callId: 'call-5', reason: 'campaign-cancelled' } as const;
    await (await actions.record(decision)).sending;
    await (await actions.record(decision)).sending;
    expect(hangups).toEqual(['PJSIP/12025550105@trunk-main-00000001']);
  });
});
