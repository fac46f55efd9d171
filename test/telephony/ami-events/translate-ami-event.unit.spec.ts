import { callDecider, type CallCommand } from '../../../src/calls/call.decider';
import type { CallEvent, CallRequested } from '../../../src/calls/call.events';
import type { Disposition } from '../../../src/calls/disposition';
import { validateCommand } from '../../../src/shared/validation';
import type { AmiEvent } from '../../../src/telephony/ami/ami-fields';
import type { AmiMessage } from '../../../src/telephony/simulator/ami-frame';
import { ChannelTracker } from '../../../src/telephony/ami-events/channel-tracker';
import { translateAmiEvent } from '../../../src/telephony/ami-events/translate-ami-event';
import { type Chan, frames, toAmiEvent } from './ami-frames';

const callId = 'call-1';
const chan: Chan = { name: 'PJSIP/trunk-a-0000002a', uniqueid: 'uid-call-1', callId };

function tracked(options: { channelId?: string | null; actionId?: string; trunk?: string } = {}): ChannelTracker {
  const tracker = new ChannelTracker();
  const channelId = options.channelId === null ? undefined : (options.channelId ?? chan.uniqueid);
  tracker.originated({ callId, channelId, actionId: options.actionId ?? 'act-1', trunk: options.trunk });
  return tracker;
}

/** Feeds frames through the translator; returns the commands of each frame. */
function feed(tracker: ChannelTracker, ...messages: AmiMessage[]): CallCommand[][] {
  return messages.map((message) => translateAmiEvent(toAmiEvent(message), tracker));
}

const types = (commands: CallCommand[]) => commands.map((command) => command.type);

/** Runs the commands through the real (pure) call decider, after a RequestCall: proves they are accepted, in this order. */
function decideAll(commands: CallCommand[]): CallEvent[] {
  const requested: CallRequested = {
    type: 'CallRequested',
    schemaVersion: 1,
    data: { callId, agentId: 'a1', phone: '+15550100', attempt: 1, trackingId: 'JKD1.7', kind: 'autodial', at: '2025-03-01T10:00:00.000Z' },
  };
  let state = callDecider.evolve(callDecider.initialState(), requested);
  const events: CallEvent[] = [];
  commands.forEach((command, i) => {
    for (const event of callDecider.decide(validateCommand(command), state, new Date(Date.UTC(2025, 2, 1, 10, 0, i + 1)))) {
      events.push(event);
      state = callDecider.evolve(state, event);
    }
  });
  return events;
}

function dispositionOf(commands: CallCommand[]): Disposition | undefined {
  const hungUp = decideAll(commands).find((event) => event.type === 'CallHungUp');
  return hungUp?.type === 'CallHungUp' ? hungUp.data.disposition : undefined;
}

const ringing = (c: Chan = chan) => [frames.newchannel(c), frames.dialBegin(c), frames.newstate(c, 'Ringing')];

describe('translateAmiEvent', () => {
  it('an answered call: Originated on Newchannel, Answer on Newstate Up, nothing twice, Hangup 16 → answered', () => {
    const tracker = tracked({ trunk: 'main-trunk' });
    const up = { ...chan, state: 'Up' as const };
    const perFrame = feed(
      tracker,
      ...ringing(),
      frames.newstate(chan, 'Up'),
      frames.dialEnd(up, 'ANSWER'),
      frames.originateSuccess(up, 'act-1'),
      frames.autoDialResponse(up, ''),
      frames.hangup(up, 16),
    );
    expect(perFrame.map(types)).toEqual([['RecordOriginated'], [], [], ['RecordAnswer'], [], [], [], ['RecordHangup']]);
    expect(perFrame[0][0]).toMatchObject({ callId, channel: chan.name, uniqueId: chan.uniqueid, trunk: 'main-trunk' });
    expect(perFrame[7][0]).toMatchObject({ callId, cause: 16, causeText: 'Normal Clearing' });
    expect(dispositionOf(perFrame.flat())).toBe('answered');
    expect(tracker.size).toBe(0);
  });

  it('OriginateResponse Success alone (Newchannel missed) records the channel and the answer', () => {
    const tracker = tracked();
    const [commands] = feed(tracker, frames.originateSuccess({ ...chan, state: 'Up' }, 'act-1'));
    expect(types(commands)).toEqual(['RecordOriginated', 'RecordAnswer']);
    expect(commands[0]).toMatchObject({ channel: chan.name, uniqueId: chan.uniqueid, trunk: 'trunk-a' });
  });

  describe('the product disposition table, from AMI events', () => {
    it.each([
      [17, 'User busy', 'BUSY', 'busy'],
      [18, 'No user responding', 'NOANSWER', 'no-answer'],
      [19, 'User alerting, no answer', 'NOANSWER', 'no-answer'],
      [20, 'Subscriber absent', 'CHANUNAVAIL', 'unreachable'],
      [21, 'Call Rejected', 'CONGESTION', 'rejected'],
      [1, 'Unallocated (unassigned) number', 'CHANUNAVAIL', 'invalid-number'],
      [22, 'Number changed', 'CHANUNAVAIL', 'invalid-number'],
      [28, 'Invalid number format', 'CHANUNAVAIL', 'invalid-number'],
      [27, 'Destination out of order', 'CONGESTION', 'failed'],
      [34, 'Circuit/channel congestion', 'CONGESTION', 'congestion'],
      [42, 'Switching equipment congestion', 'CONGESTION', 'congestion'],
      [38, 'Network out of order', 'CONGESTION', 'carrier-failure'],
    ] as const)('Hangup cause %i (%s, DialStatus %s) → %s', (cause, text, dialStatus, expected) => {
      const tracker = tracked();
      const commands = feed(tracker, ...ringing(), frames.dialEnd(chan, dialStatus), frames.hangup(chan, cause, text)).flat();
      expect(types(commands)).toEqual(['RecordOriginated', 'RecordHangup']);
      expect(commands[1]).toMatchObject({ cause, causeText: text });
      expect(dispositionOf(commands)).toBe(expected);
    });

    it('cause 16 after answer → answered; AMD machine → machine', () => {
      const up = { ...chan, state: 'Up' as const };
      const human = feed(tracked(), ...ringing(), frames.newstate(chan, 'Up'), frames.hangup(up, 16)).flat();
      expect(dispositionOf(human)).toBe('answered');
      const machine = feed(tracked(), ...ringing(), frames.newstate(chan, 'Up'), frames.amd(up, 'MACHINE', 'INITIALSILENCE-2500-2500'), frames.hangup(up, 16)).flat();
      expect(types(machine)).toEqual(['RecordOriginated', 'RecordAnswer', 'RecordAmdResult', 'RecordHangup']);
      expect(machine[2]).toMatchObject({ result: 'machine', cause: 'INITIALSILENCE-2500-2500' });
      expect(dispositionOf(machine)).toBe('machine');
    });

    it('Originate Reason 0 without a channel → RecordOriginateFailure (originate-failed)', () => {
      const tracker = tracked();
      const [commands] = feed(tracker, frames.originateFailure(0, chan.uniqueid, 'act-1'));
      expect(types(commands)).toEqual(['RecordOriginateFailure']);
      const events = decideAll(commands);
      expect(events.map((e) => e.type)).toEqual(['CallOriginateFailed']);
      expect(tracker.size).toBe(0);
    });

    it('Reason 0 with a channel waits for the Hangup: cause 1 is invalid-number, not originate-failed', () => {
      const tracker = tracked();
      const perFrame = feed(tracker, ...ringing(), frames.dialEnd(chan, 'CHANUNAVAIL'), frames.originateFailure(0, chan.uniqueid, 'act-1'), frames.hangup(chan, 1, 'Unallocated (unassigned) number'));
      expect(perFrame.map(types)).toEqual([['RecordOriginated'], [], [], [], [], ['RecordHangup']]);
      expect(dispositionOf(perFrame.flat())).toBe('invalid-number');
    });
  });

  describe('OriginateResponse Failure and Hangup in either order', () => {
    it.each([
      ['before', 5, 17, 'BUSY', 'busy'],
      ['after', 5, 17, 'BUSY', 'busy'],
      ['before', 3, 19, 'NOANSWER', 'no-answer'],
      ['after', 3, 19, 'NOANSWER', 'no-answer'],
      ['before', 8, 34, 'CONGESTION', 'congestion'],
      ['after', 8, 38, 'CONGESTION', 'carrier-failure'],
    ] as const)('response %s the Hangup, Reason %i, cause %i → one %s hang-up', (order, reason, cause, status, expected) => {
      const tracker = tracked();
      const response = frames.originateFailure(reason, chan.uniqueid, 'act-1');
      const hangup = frames.hangup(chan, cause, 'x');
      const tail = order === 'before' ? [response, hangup] : [hangup, response];
      const commands = feed(tracker, ...ringing(), frames.dialEnd(chan, status), ...tail).flat();
      expect(types(commands)).toEqual(['RecordOriginated', 'RecordHangup']);
      expect(commands[1]).toMatchObject({ cause });
      expect(dispositionOf(commands)).toBe(expected);
      expect(tracker.size).toBe(0);
    });

    it.each([
      [5, 'busy'],
      [3, 'no-answer'],
      [8, 'congestion'],
    ] as const)('Reason %i with no channel ever seen → a %s hang-up from the Reason alone', (reason, expected) => {
      const tracker = tracked();
      const [commands] = feed(tracker, frames.originateFailure(reason, chan.uniqueid, 'act-1'));
      expect(commands).toEqual([expect.objectContaining({ type: 'RecordHangup', cause: 0, disposition: expected })]);
      expect(dispositionOf(commands)).toBe(expected);
    });

    it('a vague cause (16 before answer) takes the disposition from the Reason or the DialStatus', () => {
      const byReason = feed(tracked(), ...ringing(), frames.originateFailure(5, chan.uniqueid, 'act-1'), frames.hangup(chan, 16)).flat();
      expect(byReason[1]).toMatchObject({ type: 'RecordHangup', cause: 16, disposition: 'busy' });
      const byDialStatus = feed(tracked(), ...ringing(), frames.dialEnd(chan, 'CONGESTION'), frames.hangup(chan, 0, 'Unknown')).flat();
      expect(dispositionOf(byDialStatus)).toBe('congestion');
      const nothingKnown = feed(tracked(), ...ringing(), frames.hangup(chan, 16)).flat();
      expect(nothingKnown[1]).toMatchObject({ type: 'RecordHangup', cause: 16, disposition: undefined });
      expect(dispositionOf(nothingKnown)).toBe('no-answer');
    });
  });

  describe('busy without a ChannelId: `Uniqueid: <unknown>`, matched by ActionID', () => {
    const anonymous: Chan = { name: 'PJSIP/trunk-a-0000002b', uniqueid: '1740823200.43', callId };

    it('response first: busy from the Reason; the late Hangup adds nothing', () => {
      const tracker = tracked({ channelId: null, actionId: 'act-9' });
      const perFrame = feed(tracker, frames.newchannel(anonymous), frames.originateFailure(5, '<unknown>', 'act-9'), frames.hangup(anonymous, 17, 'User busy'));
      expect(perFrame.map(types)).toEqual([[], ['RecordHangup'], []]);
      expect(dispositionOf(perFrame.flat())).toBe('busy');
      expect(tracker.size).toBe(0);
    });

    it('Hangup first (found by SIREN_CALL_ID): the cause decides; the response adds nothing', () => {
      const tracker = tracked({ channelId: null, actionId: 'act-9' });
      const perFrame = feed(tracker, frames.newchannel(anonymous), frames.newstate(anonymous, 'Ringing'), frames.hangup(anonymous, 17, 'User busy'), frames.originateFailure(5, '<unknown>', 'act-9'));
      expect(perFrame.map(types)).toEqual([[], ['RecordOriginated'], ['RecordHangup'], []]);
      expect(perFrame[1][0]).toMatchObject({ uniqueId: anonymous.uniqueid });
      expect(dispositionOf(perFrame.flat())).toBe('busy');
      expect(tracker.size).toBe(0);
    });

    it('an ActionID Siren did not send is ignored', () => {
      const tracker = tracked({ channelId: null, actionId: 'act-9' });
      expect(feed(tracker, frames.originateFailure(5, '<unknown>', 'someone-else-1'))).toEqual([[]]);
      expect(tracker.size).toBe(1);
    });
  });

  describe('DTMF: one press, one DtmfPressed', () => {
    const up = { ...chan, state: 'Up' as const };
    const answered = () => {
      const tracker = tracked();
      feed(tracker, ...ringing(), frames.newstate(chan, 'Up'), frames.originateSuccess(up, 'act-1'));
      return tracker;
    };

    it('DTMFEnd and the AutoDialResponse UserEvent reporting the same press count once (the first report)', () => {
      const perFrame = feed(answered(), frames.dtmfEnd(up, '1'), frames.autoDialResponse(up, '1'), frames.hangup(up, 16));
      expect(perFrame.map(types)).toEqual([['RecordDtmf'], [], ['RecordHangup']]);
      expect(perFrame[0][0]).toMatchObject({ digit: '1', source: 'dtmf' });
    });

    it('the UserEvent first and DTMFEnd after also count once', () => {
      const perFrame = feed(answered(), frames.autoDialResponse(up, '2'), frames.dtmfEnd(up, '2'));
      expect(perFrame.map(types)).toEqual([['RecordDtmf'], []]);
      expect(perFrame[0][0]).toMatchObject({ digit: '2', source: 'userevent' });
    });

    it('a UserEvent alone counts with source userevent; DTMFEnd alone with source dtmf', () => {
      expect(feed(answered(), frames.autoDialResponse(up, '1'))[0]).toEqual([expect.objectContaining({ type: 'RecordDtmf', digit: '1', source: 'userevent' })]);
      expect(feed(answered(), frames.dtmfEnd(up, '#'))[0]).toEqual([expect.objectContaining({ type: 'RecordDtmf', digit: '#', source: 'dtmf' })]);
    });

    it('two presses of the same key are two presses; a different digit is not matched', () => {
      const perFrame = feed(answered(), frames.dtmfEnd(up, '1'), frames.dtmfEnd(up, '1'), frames.autoDialResponse(up, '1'), frames.autoDialResponse(up, '3'));
      expect(perFrame.map(types)).toEqual([['RecordDtmf'], ['RecordDtmf'], [], ['RecordDtmf']]);
      expect(decideAll([...feed(tracked(), ...ringing(), frames.newstate(chan, 'Up')).flat(), ...perFrame.flat()]).filter((e) => e.type === 'DtmfPressed')).toHaveLength(3);
    });

    it('ignores tones we send, presses before answer, empty digits and a secondary leg', () => {
      const tracker = answered();
      const local: Chan = { name: 'Local/agent@siren-agents-00000001;2', uniqueid: 'uid-local-2', linkedid: chan.uniqueid, callId };
      expect(feed(tracker, frames.dtmfEnd(up, '5', 'Sent'), frames.autoDialResponse(up, ''), frames.newchannel(local), frames.dtmfEnd(local, '7'))).toEqual([[], [], [], []]);
      const early = tracked();
      expect(feed(early, ...ringing(), frames.dtmfEnd(chan, '1')).flat().map((c) => c.type)).toEqual(['RecordOriginated']);
    });
  });

  describe('hang-ups', () => {
    it('a secondary leg hanging up is not the call hanging up; repeats of the real one add nothing', () => {
      const tracker = tracked();
      const local: Chan = { name: 'Local/agent@siren-agents-00000001;1', uniqueid: 'uid-local-1', linkedid: chan.uniqueid, callId };
      const up = { ...chan, state: 'Up' as const };
      const perFrame = feed(tracker, ...ringing(), frames.newstate(chan, 'Up'), frames.newchannel(local), frames.hangup(local, 16), frames.hangup(up, 16), frames.hangup(up, 16));
      expect(perFrame.slice(4).map(types)).toEqual([[], [], ['RecordHangup'], []]);
    });

    it('an unreadable cause becomes 0 (unknown), within the command limits', () => {
      const message = frames.hangup(chan, 16).map(([k, v]): [string, string] => [k, k === 'Cause' ? 'abc' : v]);
      const commands = feed(tracked(), ...ringing(), message).flat();
      expect(commands[1]).toMatchObject({ type: 'RecordHangup', cause: 0 });
      expect(() => validateCommand(commands[1])).not.toThrow();
    });
  });

  describe('what Siren did not originate', () => {
    it('events of unknown channels, ActionIDs and calls yield no commands', () => {
      const tracker = tracked();
      const stranger: Chan = { name: 'PJSIP/trunk-b-00000099', uniqueid: 'uid-other', callId: 'not-ours' };
      const up = { ...stranger, state: 'Up' as const };
      const all = feed(
        tracker,
        ...ringing(stranger),
        frames.newstate(stranger, 'Up'),
        frames.originateSuccess(up, 'act-other'),
        frames.dtmfEnd(up, '1'),
        frames.amd(up, 'MACHINE', 'x'),
        frames.hangup(up, 16),
        frames.originateFailure(5, '<unknown>'),
      );
      expect(all.flat()).toEqual([]);
      expect(tracker.size).toBe(1);
    });

    it('never throws on malformed or foreign events', () => {
      const tracker = tracked();
      const odd: AmiEvent[] = [{}, { event: '' }, { event: 'FullyBooted' }, { event: 'Hangup' }, { event: 'OriginateResponse', response: 'Failure' }, { event: 'UserEvent', userevent: 'AMDResult' }, { event: 'DialEnd', destuniqueid: chan.uniqueid }];
      for (const event of odd) expect(() => translateAmiEvent(event, tracker)).not.toThrow();
      expect(odd.flatMap((event) => translateAmiEvent(event, tracker)).map((c) => c.type)).toEqual([]);
      // The DialEnd without a Channel header named the channel's id; the next event completes it.
      expect(types(translateAmiEvent(toAmiEvent(frames.newstate(chan, 'Ringing')), tracker))).toEqual(['RecordOriginated']);
    });
  });

  it('every command it produces passes command validation', () => {
    const tracker = tracked();
    const up = { ...chan, state: 'Up' as const };
    const commands = feed(tracker, ...ringing(), frames.newstate(chan, 'Up'), frames.amd(up, 'NOTSURE', 'TOOLONG-5000'), frames.dtmfEnd(up, '1'), frames.hangup(up, 16)).flat();
    expect(types(commands)).toEqual(['RecordOriginated', 'RecordAnswer', 'RecordAmdResult', 'RecordDtmf', 'RecordHangup']);
    for (const command of commands) expect(() => validateCommand(command)).not.toThrow();
    expect(commands[0].meta).toEqual({ actor: 'system:ami' });
  });
});
