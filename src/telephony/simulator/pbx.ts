import type { AmiMessage } from './ami-frame';
import { planCall, type OriginateResponseOrder } from './call-plan';
import { CallPlayer, type LiveCall, type OriginateRequest } from './call-player';
import { type SimChannel, channelNameFor, dialedNumber, variableName } from './channel';
import { type OutcomeMix, type Scenario, scenarioForNumber, scenarioFromMix } from './outcome';
import { type Random, mulberry32 } from './prng';
import { SimClock } from './sim-clock';
import { type OriginateLogEntry, type SimulatorStats, computeStats } from './simulator-log';

export interface PbxOptions {
  seed: number;
  timeScale: number;
  outcomes: OutcomeMix | 'last-digit';
  channelVars: readonly string[];
  originateResponseOrder: OriginateResponseOrder;
  /** Run AMD on every answered call, not only those whose channel sets SIREN_AMD. */
  amd: boolean;
}

/**
 * The telephony side of the simulator: accepts Originates, keeps the live channels and plays each
 * call. It knows nothing of sockets; events go to `onEvent`, which the server fans out.
 */
export class SimulatedPbx {
  readonly log: OriginateLogEntry[] = [];
  readonly clock: SimClock;
  private readonly random: Random;
  private readonly calls = new Map<string, LiveCall>(); // by channel name
  private readonly player: CallPlayer;
  private channelSequence = 0;
  private refused = 0;
  private readonly epoch = Math.floor(Date.now() / 1000);

  constructor(
    private readonly options: PbxOptions,
    private readonly onEvent: (event: AmiMessage) => void,
  ) {
    this.clock = new SimClock(options.timeScale);
    this.random = mulberry32(options.seed);
    this.player = new CallPlayer({
      clock: this.clock,
      channelVars: options.channelVars,
      emit: (event) => this.onEvent(event),
      createChannel: (call) => this.createChannel(call),
      release: (call) => {
        if (call.channel) this.calls.delete(call.channel.name);
      },
    });
  }

  /** Accepts a validated Originate and starts playing it; returns its log entry. */
  originate(request: OriginateRequest): OriginateLogEntry {
    // One draw per Originate seeds that call's own generator: the sequence of outcomes depends on
    // the order of Originates only, never on how their timers interleave.
    const callRandom = mulberry32(this.random.nextUint32());
    const number = dialedNumber(request.dialString, request.exten);
    const variables = new Map(request.variables.map(([name, value]) => [variableName(name), value]));
    const scenario = this.scenarioFor(number, callRandom);
    const plan = planCall(
      {
        scenario,
        originateTimeoutMs: request.timeoutMs,
        amdRequested: this.options.amd || isTrue(variables.get('SIREN_AMD')),
        amdNotSurePercent: this.options.outcomes === 'last-digit' ? 0 : (this.options.outcomes.amdNotSure ?? 0),
        responseOrder: this.options.originateResponseOrder,
      },
      callRandom,
    );
    const entry: OriginateLogEntry = {
      sequence: this.log.length + 1,
      actionId: request.actionId,
      channelId: request.channelId,
      dialString: request.dialString,
      number,
      sirenVariables: Object.fromEntries([...variables].filter(([name]) => name.startsWith('SIREN_'))),
      outcome: scenario.outcome,
      ...(scenario.digit !== undefined && scenario.outcome === 'answered' ? { digit: scenario.digit } : {}),
    };
    this.log.push(entry);
    this.player.play({ request, plan, log: entry, stage: 'queued' });
    return entry;
  }

  noteRefusedOriginate(): void {
    this.refused += 1;
  }

  channel(name: string): SimChannel | undefined {
    return this.calls.get(name)?.channel;
  }

  liveChannels(): SimChannel[] {
    return [...this.calls.values()].flatMap((call) => (call.channel ? [call.channel] : []));
  }

  hangUp(name: string, cause: number): boolean {
    const call = this.calls.get(name);
    if (!call) return false;
    call.log.cutShort = 'hangup-action';
    this.player.hangUp(call, cause);
    return true;
  }

  redirect(name: string, context: string, exten: string, priority: number): boolean {
    const call = this.calls.get(name);
    if (!call?.channel) return false;
    this.player.leaveDialplan(call);
    Object.assign(call.channel, { context, exten, priority, application: 'AppDial2', applicationData: '' });
    return true;
  }

  stats(): SimulatorStats {
    return computeStats(this.log, this.refused, this.calls.size);
  }

  /** Stops every pending step; live calls are simply abandoned, as when Asterisk stops. */
  stop(): void {
    this.clock.clearAll();
    for (const call of this.calls.values()) call.log.cutShort = 'shutdown';
    this.calls.clear();
  }

  private scenarioFor(number: string, random: Random): Scenario {
    const { outcomes } = this.options;
    // Drawn even in last-digit mode so switching modes never changes the timings' stream.
    const mixed = outcomes === 'last-digit' ? undefined : scenarioFromMix(outcomes, random);
    return mixed ?? scenarioForNumber(number);
  }

  private createChannel(call: LiveCall): SimChannel {
    this.channelSequence += 1;
    const { request } = call;
    const uniqueid = request.channelId ?? `${this.epoch}.${this.channelSequence}`;
    const channel: SimChannel = {
      name: channelNameFor(request.dialString, this.channelSequence),
      uniqueid,
      linkedid: uniqueid,
      dialString: request.dialString,
      state: 'down',
      callerIdNum: request.callerIdNum,
      callerIdName: request.callerIdName,
      context: request.context,
      exten: request.exten,
      priority: request.priority,
      application: 'AppDial2',
      applicationData: '(Outgoing Line)',
      variables: new Map(request.variables.map(([name, value]) => [variableName(name), value])),
      variablesApplied: false,
      mute: { in: false, out: false },
      createdAtMs: this.clock.nowMs(),
    };
    this.calls.set(channel.name, call);
    return channel;
  }
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(1|yes|true|on)$/i.test(value);
}
