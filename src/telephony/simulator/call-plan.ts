import { OriginateReason, dialStatusForCause, originateReasonForCause } from './hangup-causes';
import type { Outcome, Scenario } from './outcome';
import type { Random } from './prng';

/**
 * Where a failed call's OriginateResponse lands relative to its Hangup. Asterisk publishes the
 * Hangup through stasis and writes the OriginateResponse from the originate thread, so a client
 * sees either order; `seeded` draws it per call so tests meet both.
 */
export type OriginateResponseOrder = 'before-hangup' | 'after-hangup' | 'seeded';

export type AmdStatus = 'HUMAN' | 'MACHINE' | 'NOTSURE';

/** What a call will do, in simulated milliseconds, decided up front so a seed replays it exactly. */
export interface CallPlan {
  scenario: Scenario;
  /** Queued → channel exists (Newchannel, DialBegin). */
  setupMs: number;
  /** Channel exists → ringing (Newstate Ringing), or undefined if the far end never rings. */
  ringAfterMs?: number;
  /** Channel exists → answered or failed (for no answer: the Originate timeout). */
  dialMs: number;
  answered?: AnsweredPlan;
  failure?: FailurePlan;
}

export interface AnsweredPlan {
  /** Answer → AMD verdict (UserEvent AMDResult), when AMD ran. */
  amd?: { status: AmdStatus; cause: string; afterMs: number };
  /** Answer → DTMF press, for a caller who presses a key. */
  dtmfAfterMs?: number;
  /** Answer → the dialplan's AutoDialResponse UserEvent; none for a machine (the dialplan hangs up). */
  responseAfterMs?: number;
  /** Answer → hang-up (Cause 16). */
  hangupAfterMs: number;
}

export interface FailurePlan {
  cause: number;
  reason: number;
  dialStatus: string;
  /** False when Asterisk could not even create the channel: no Newchannel, no Hangup. */
  channelCreated: boolean;
  responseBeforeHangup: boolean;
}

const FAILURE_CAUSES: Partial<Record<Outcome, number>> = {
  busy: 17,
  'no-answer': 19,
  congestion: 34,
  'carrier-failure': 38,
  'invalid-number': 1,
  unreachable: 20,
  rejected: 21,
};

export interface PlanInput {
  scenario: Scenario;
  /** The Originate's Timeout, in ms (Asterisk's default is 30 000). */
  originateTimeoutMs: number;
  amdRequested: boolean;
  /** Share (0–100) of AMD verdicts on humans that come back NOTSURE. */
  amdNotSurePercent: number;
  responseOrder: OriginateResponseOrder;
}

/** Draws every timing from the call's own generator; pure, so it is unit-tested without sockets. */
export function planCall(input: PlanInput, random: Random): CallPlan {
  const { scenario, originateTimeoutMs } = input;
  const setupMs = random.between(20, 80);
  const responseBeforeHangup =
    input.responseOrder === 'seeded' ? random.chance(0.5) : input.responseOrder === 'before-hangup';

  if (scenario.outcome === 'failed') {
    const failure = { cause: 0, reason: OriginateReason.failure, dialStatus: 'CHANUNAVAIL' };
    return { scenario, setupMs, dialMs: 0, failure: { ...failure, channelCreated: false, responseBeforeHangup } };
  }

  const cause = FAILURE_CAUSES[scenario.outcome];
  if (cause !== undefined) {
    const noAnswer = scenario.outcome === 'no-answer';
    const rings = noAnswer || (scenario.outcome === 'busy' && random.chance(0.5));
    const dialMs = noAnswer ? originateTimeoutMs : random.between(300, 3000);
    const failure = { cause, reason: originateReasonForCause(cause), dialStatus: dialStatusForCause(cause) };
    return {
      scenario,
      setupMs,
      ringAfterMs: rings ? Math.min(random.between(100, 400), dialMs) : undefined,
      dialMs,
      failure: { ...failure, channelCreated: true, responseBeforeHangup },
    };
  }

  // Answered (a human or a machine): it must pick up before the Originate gives up.
  const dialMs = Math.min(random.between(2000, 12000), Math.floor(originateTimeoutMs * 0.9));
  const ringAfterMs = Math.min(random.between(100, 400), dialMs);
  return { scenario, setupMs, ringAfterMs, dialMs, answered: planAnswered(input, random) };
}

function planAnswered(input: PlanInput, random: Random): AnsweredPlan {
  const amdAfterMs = random.between(1500, 4000);
  if (input.scenario.outcome === 'machine') {
    const cause = `GREETING-${random.between(1500, 3500)}-1500`;
    return {
      amd: { status: 'MACHINE', cause, afterMs: amdAfterMs },
      hangupAfterMs: amdAfterMs + random.between(300, 1500),
    };
  }
  const notSure = random.next() * 100 < input.amdNotSurePercent;
  const amd = input.amdRequested
    ? notSure
      ? { status: 'NOTSURE' as const, cause: `TOOLONG-${random.between(4000, 5000)}`, afterMs: amdAfterMs }
      : { status: 'HUMAN' as const, cause: `HUMAN-${random.between(200, 800)}-${random.between(800, 1500)}`, afterMs: amdAfterMs }
    : undefined;
  const promptStart = amd ? amd.afterMs : 0;
  const pressAfter = random.between(2000, 8000);
  const readTimeout = random.between(8000, 10000);
  const talk = random.between(5000, 60000);
  const goodbye = random.between(500, 2000);
  if (input.scenario.digit !== undefined) {
    const dtmfAfterMs = promptStart + pressAfter;
    const responseAfterMs = dtmfAfterMs + 150;
    // Pressing 1 connects the caller to an agent, so the call lasts; any other key just ends it.
    const after = input.scenario.digit === '1' ? talk : goodbye;
    return { amd, dtmfAfterMs, responseAfterMs, hangupAfterMs: responseAfterMs + after };
  }
  const responseAfterMs = promptStart + readTimeout;
  return { amd, responseAfterMs, hangupAfterMs: responseAfterMs + goodbye };
}
