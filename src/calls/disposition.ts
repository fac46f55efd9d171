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
 * Q.850 hang-up causes as Asterisk reports them in the Hangup event. Only the causes that change
 * what we do next are listed; everything else is `failed` (or `answered` once the call was up).
 */
const CAUSE_DISPOSITIONS: Readonly<Record<number, Disposition>> = {
  1: 'invalid-number', // unallocated number
  3: 'unreachable', // no route to destination
  17: 'busy',
  18: 'no-answer', // no user responding
  19: 'no-answer', // no answer from user (alerted)
  20: 'unreachable', // subscriber absent
  21: 'rejected',
  22: 'invalid-number', // number changed
  27: 'carrier-failure', // destination out of order
  28: 'invalid-number', // invalid number format
  34: 'congestion', // no circuit available
  38: 'carrier-failure', // network out of order
  41: 'carrier-failure', // temporary failure
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
  if (cause === 16 || cause === 0) return 'no-answer'; // cleared before answer, e.g. ring timeout
  return CAUSE_DISPOSITIONS[cause] ?? 'failed';
}
