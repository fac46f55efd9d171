import type { AmiHeader, AmiMessage } from './ami-frame';
import type { CallPlan, FailurePlan } from './call-plan';
import { type SimChannel, snapshotHeaders } from './channel';
import { OriginateReason, causeText, dialStatusForCause, originateReasonForCause } from './hangup-causes';
import type { SimClock } from './sim-clock';
import type { OriginateLogEntry } from './simulator-log';

/** The Originate as the simulator needs it, already validated. */
export interface OriginateRequest {
  actionId?: string;
  dialString: string;
  context: string;
  exten: string;
  priority: number;
  application: string;
  data: string;
  callerIdNum: string;
  callerIdName: string;
  timeoutMs: number;
  channelId?: string;
  /** Variables by name as given, prefixes included (`__SIREN_CALL_ID`). */
  variables: Array<[string, string]>;
}

/** One call from queueing to hang-up. */
export interface LiveCall {
  request: OriginateRequest;
  plan: CallPlan;
  log: OriginateLogEntry;
  channel?: SimChannel;
  stage: 'queued' | 'dialing' | 'up' | 'ended';
  /** Redirected out of the IVR: its prompt, DTMF and UserEvents no longer happen. */
  leftDialplan?: boolean;
}

/** A step of a call at a simulated time since its phase began. */
type Step = [atMs: number, run: () => void];

export interface PlayerDeps {
  clock: SimClock;
  channelVars: readonly string[];
  emit(event: AmiMessage): void;
  /** Allocates the channel (name, Uniqueid) when Asterisk would create it. */
  createChannel(call: LiveCall): SimChannel;
  /** The channel is gone: forget it. */
  release(call: LiveCall): void;
}

/**
 * Plays a call's plan as the event sequence Asterisk 22 sends for an Async Originate:
 * Newchannel → DialBegin → Newstate Ringing → (answer: Newstate Up, DialEnd ANSWER,
 * OriginateResponse Success/4, [AMD UserEvent], [DTMFBegin/End], UserEvent AutoDialResponse,
 * Hangup 16) or (failure: DialEnd, Hangup cause and OriginateResponse Failure in the planned order).
 */
export class CallPlayer {
  constructor(private readonly deps: PlayerDeps) {}

  play(call: LiveCall): void {
    const { plan } = call;
    const group = this.group(call);
    this.deps.clock.after(plan.setupMs, group, () => {
      if (plan.failure && !plan.failure.channelCreated) {
        call.stage = 'ended';
        this.originateResponse(call, plan.failure.reason);
        this.deps.release(call);
        return;
      }
      const channel = this.deps.createChannel(call);
      call.channel = channel;
      call.stage = 'dialing';
      this.channelEvent('Newchannel', 'call,all', channel);
      // The Originate's variables are set just after the channel is allocated, so Newchannel
      // still shows channelvars empty; everything later carries them.
      channel.variablesApplied = true;
      this.emit('DialBegin', 'call,all', [
        ...snapshotHeaders(channel, this.deps.channelVars, 'Dest'),
        ['DialString', call.request.dialString.slice(call.request.dialString.indexOf('/') + 1)],
      ]);
      const steps: Step[] = [];
      if (plan.ringAfterMs !== undefined) steps.push([plan.ringAfterMs, () => this.newState(channel, 'ringing')]);
      steps.push([plan.dialMs, () => {
        if (plan.answered) this.answer(call, channel);
        else if (plan.failure) this.fail(call, channel, plan.failure);
      }]);
      this.sequence(group, steps);
    });
  }

  /** A Hangup action (or shutdown) ends the call now, whatever its plan still held. */
  hangUp(call: LiveCall, cause: number): void {
    const channel = call.channel;
    if (!channel || call.stage === 'ended') return;
    this.deps.clock.cancel(this.group(call));
    if (call.stage === 'dialing') {
      const failure = { cause, reason: originateReasonForCause(cause), dialStatus: 'CANCEL' };
      this.fail(call, channel, { ...failure, channelCreated: true, responseBeforeHangup: false });
      return;
    }
    this.end(call, channel, cause);
  }

  /** Leaves the IVR (e.g. to an agent or hold): the prompt, DTMF and UserEvents no longer happen. */
  leaveDialplan(call: LiveCall): void {
    call.leftDialplan = true;
  }

  private answer(call: LiveCall, channel: SimChannel): void {
    const answered = call.plan.answered!;
    call.stage = 'up';
    this.newState(channel, 'up');
    this.emit('DialEnd', 'call,all', [...snapshotHeaders(channel, this.deps.channelVars, 'Dest'), ['DialStatus', 'ANSWER']]);
    this.originateResponse(call, OriginateReason.answered);
    // Now in the dialplan (or the application) the Originate named.
    const { request } = call;
    if (request.application) {
      channel.application = request.application;
      channel.applicationData = request.data;
    } else {
      channel.context = request.context;
      channel.exten = request.exten;
      channel.priority = request.priority;
      channel.application = 'Read';
      channel.applicationData = 'DIGIT,siren/press-one,1';
    }
    // One chain of steps, not a timer each: at a large time scale several steps fall in the same
    // real millisecond and separate timers could fire out of order.
    const inDialplan = (run: () => void) => () => {
      if (!call.leftDialplan) run();
    };
    const steps: Step[] = [];
    if (answered.amd) {
      const { status, cause } = answered.amd;
      steps.push([answered.amd.afterMs, inDialplan(() => this.userEvent(channel, 'AMDResult', [['AMDSTATUS', status], ['AMDCAUSE', cause]]))]);
    }
    const digit = call.plan.scenario.digit;
    if (answered.dtmfAfterMs !== undefined && digit !== undefined) {
      steps.push([answered.dtmfAfterMs, inDialplan(() => this.dtmf(channel, digit, 'Begin'))]);
      steps.push([answered.dtmfAfterMs + 120, inDialplan(() => this.dtmf(channel, digit, 'End'))]);
    }
    if (answered.responseAfterMs !== undefined) {
      const fields: AmiHeader[] = [['Digit', digit ?? ''], ['PressedOne', digit === '1' ? 'Yes' : 'No']];
      steps.push([answered.responseAfterMs, inDialplan(() => this.userEvent(channel, 'AutoDialResponse', fields))]);
    }
    steps.push([answered.hangupAfterMs, () => this.end(call, channel, 16)]);
    this.sequence(this.group(call), steps);
  }

  /** Runs the steps in time order, each timer scheduling the next. */
  private sequence(group: string, steps: Step[]): void {
    const ordered = [...steps].sort((a, b) => a[0] - b[0]);
    const runFrom = (index: number, atMs: number) => {
      const step = ordered[index];
      if (!step) return;
      this.deps.clock.after(step[0] - atMs, group, () => {
        step[1]();
        runFrom(index + 1, step[0]);
      });
    };
    runFrom(0, 0);
  }

  private fail(call: LiveCall, channel: SimChannel, failure: FailurePlan): void {
    this.emit('DialEnd', 'call,all', [...snapshotHeaders(channel, this.deps.channelVars, 'Dest'), ['DialStatus', failure.dialStatus || dialStatusForCause(failure.cause)]]);
    if (failure.responseBeforeHangup) this.originateResponse(call, failure.reason);
    this.end(call, channel, failure.cause);
    if (!failure.responseBeforeHangup) this.originateResponse(call, failure.reason);
  }

  private end(call: LiveCall, channel: SimChannel, cause: number): void {
    call.stage = 'ended';
    this.emit('Hangup', 'call,all', [
      ...snapshotHeaders(channel, this.deps.channelVars),
      ['Cause', String(cause)],
      ['Cause-txt', causeText(cause)],
    ]);
    this.deps.release(call);
  }

  /**
   * Success carries the live channel; a failure has none left, so Asterisk reports the dial
   * string as Channel and the ChannelId from the Originate as Uniqueid, or `<unknown>` without one.
   */
  private originateResponse(call: LiveCall, reason: number): void {
    const { request } = call;
    const success = reason === OriginateReason.answered && call.channel !== undefined;
    const location: AmiHeader[] = request.application
      ? [['Application', request.application], ['Data', request.data]]
      : [['Context', request.context], ['Exten', request.exten]];
    const headers: AmiHeader[] = [
      ...(request.actionId !== undefined ? [['ActionID', request.actionId] as AmiHeader] : []),
      ['Response', success ? 'Success' : 'Failure'],
      ['Channel', success ? call.channel!.name : request.dialString],
      ...location,
      ['Reason', String(reason)],
      ['Uniqueid', success ? call.channel!.uniqueid : (request.channelId ?? '<unknown>')],
      ['CallerIDNum', request.callerIdNum || '<unknown>'],
      ['CallerIDName', request.callerIdName || '<unknown>'],
    ];
    // Asterisk appends the channel's channelvars in the legacy per-channel form here.
    if (success) {
      for (const name of this.deps.channelVars) {
        headers.push([`ChanVariable(${call.channel!.name})`, `${name}=${call.channel!.variables.get(name) ?? ''}`]);
      }
    }
    this.emit('OriginateResponse', 'call,all', headers);
  }

  private newState(channel: SimChannel, state: SimChannel['state']): void {
    channel.state = state;
    this.channelEvent('Newstate', 'call,all', channel);
  }

  private dtmf(channel: SimChannel, digit: string, phase: 'Begin' | 'End'): void {
    const duration: AmiHeader[] = phase === 'End' ? [['DurationMs', '120']] : [];
    this.emit(`DTMF${phase}`, 'dtmf,all', [
      ...snapshotHeaders(channel, this.deps.channelVars),
      ['Digit', digit],
      ...duration,
      ['Direction', 'Received'],
    ]);
  }

  /** What the dialplan's UserEvent() sends: the channel, its SIREN_* variables, then the extra fields. */
  private userEvent(channel: SimChannel, name: string, fields: AmiHeader[]): void {
    const siren = [...channel.variables].filter(([key]) => key.startsWith('SIREN_')) as AmiHeader[];
    this.emit('UserEvent', 'user,all', [...snapshotHeaders(channel, this.deps.channelVars), ['UserEvent', name], ...siren, ...fields]);
  }

  private channelEvent(name: string, privilege: string, channel: SimChannel): void {
    this.emit(name, privilege, snapshotHeaders(channel, this.deps.channelVars));
  }

  private emit(name: string, privilege: string, body: AmiHeader[]): void {
    this.deps.emit([['Event', name], ['Privilege', privilege], ...body]);
  }

  private group(call: LiveCall): string {
    return `call:${call.log.sequence}`;
  }

}
