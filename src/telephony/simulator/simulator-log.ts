import type { Outcome } from './outcome';
import { OUTCOMES } from './outcome';

/** One Originate the simulator accepted, and what it played for it. */
export interface OriginateLogEntry {
  /** 1-based order of acceptance. */
  sequence: number;
  actionId?: string;
  channelId?: string;
  dialString: string;
  number: string;
  /** The SIREN_* channel variables, names without the `_`/`__` prefix. */
  sirenVariables: Record<string, string>;
  outcome: Outcome;
  /** Key pressed by an answered caller, if any. */
  digit?: string;
  /** Set when a Hangup action (or close) cut the call short of its plan. */
  cutShort?: 'hangup-action' | 'shutdown';
}

export interface SimulatorStats {
  originated: number;
  byOutcome: Record<Outcome, number>;
  pressedOne: number;
  /** Originates refused by an injected `fail-originate` fault (not in the log). */
  refusedOriginates: number;
  liveChannels: number;
  /** SIREN_CALL_ID values originated more than once: a call attempt must never be dialed twice. */
  duplicateCallIds: string[];
}

export function computeStats(log: readonly OriginateLogEntry[], refusedOriginates: number, liveChannels: number): SimulatorStats {
  const byOutcome = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  let pressedOne = 0;
  for (const entry of log) {
    byOutcome[entry.outcome] += 1;
    if (entry.digit === '1') pressedOne += 1;
    const callId = entry.sirenVariables.SIREN_CALL_ID;
    if (callId === undefined) continue;
    if (seen.has(callId)) duplicates.add(callId);
    seen.add(callId);
  }
  return { originated: log.length, byOutcome, pressedOne, refusedOriginates, liveChannels, duplicateCallIds: [...duplicates] };
}
