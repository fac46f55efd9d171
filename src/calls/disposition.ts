/** How a call attempt ended, as reports and the retry policy see it. */
export const DISPOSITIONS = [
  'answered',
  'busy',
  'no-answer',
  'unreachable',
  'rejected',
  'invalid-number',
  'failed',
  'congestion',
  'carrier-failure',
  'originate-failed',
  'machine',
  'cancelled',
  'unknown',
] as const;

export type Disposition = (typeof DISPOSITIONS)[number];

/**
 * Q.850 hang-up causes as Asterisk reports them in the Hangup event, per the product's table (M6).
 * Only the causes that change what we do next are listed; everything else is `failed` (or
 * `answered` once the call was up). `invalid-number` is never in a retry policy's `retryOn`.
 */
const CAUSE_DISPOSITIONS: Readonly<Record<number, Disposition>> = {
  1: 'invalid-number', // unallocated number
  // Not in the product table: "no route to destination" is the same fact as 20 (the number
  // cannot be reached from here right now), so it retries like 20 rather than failing for good.
  3: 'unreachable',
  17: 'busy',
  18: 'no-answer', // no user responding
  19: 'no-answer', // no answer from user (alerted)
  20: 'unreachable', // subscriber absent
  21: 'rejected',
  22: 'invalid-number', // number changed
  27: 'failed', // destination out of order: the far end's fault, not the carrier's
  28: 'invalid-number', // invalid number format
  34: 'congestion', // no circuit available
  38: 'carrier-failure', // network out of order
  // Not in the product table: "temporary failure" is the carrier's network failing the same way
  // as 38, so it is counted and retried with it.
  41: 'carrier-failure',
  42: 'congestion', // switching equipment congestion
};

export interface HangupFacts {
  cause: number;
  answered: boolean;
  /** The answering-machine detector said `machine`. */
  machine: boolean;
}

/** Once a call was answered its cause (normally 16, normal clearing) no longer matters. */
export function dispositionForHangup({ cause, answered, machine }: HangupFacts): Disposition {
  if (answered) return machine ? 'machine' : 'answered';
  // Normal clearing (or no cause at all) before answer: the Originate's ring timeout or our own
  // hang-up ended the ringing, so nobody answered.
  if (cause === 16 || cause === 0) return 'no-answer';
  return CAUSE_DISPOSITIONS[cause] ?? 'failed';
}
