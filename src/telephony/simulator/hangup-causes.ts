/**
 * What Asterisk puts in Hangup (Cause / Cause-txt), OriginateResponse (Reason) and DialEnd
 * (DialStatus) for the causes the simulator plays. Texts are Asterisk's ast_cause2str strings.
 */
export const CAUSE_TEXT: Readonly<Record<number, string>> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  16: 'Normal Clearing',
  17: 'User busy',
  19: 'User alerting, no answer',
  20: 'Subscriber absent',
  21: 'Call Rejected',
  34: 'Circuit/channel congestion',
  38: 'Network out of order',
};

export function causeText(cause: number): string {
  return CAUSE_TEXT[cause] ?? 'Unknown';
}

/**
 * OriginateResponse `Reason` is an AST_CONTROL_* frame number, not a cause: 4 answer, 5 busy,
 * 3 ringing (no answer before the Originate timeout), 8 congestion, 1 hangup, 0 failure.
 */
export const OriginateReason = {
  failure: 0,
  hangup: 1,
  ringing: 3,
  answered: 4,
  busy: 5,
  congestion: 8,
} as const;

/**
 * Asterisk's pbx_outgoing maps the dialed channel's hang-up cause to the Reason this way
 * (main/pbx.c, pbx_dial_reason): busy → 5; rejected and the congestion / network-failure family
 * → 8; no answer → 3; everything else, including unallocated and subscriber absent → 0.
 */
export function originateReasonForCause(cause: number): number {
  switch (cause) {
    case 17:
      return OriginateReason.busy;
    case 21: // call rejected
    case 27: // destination out of order
    case 34: // circuit congestion
    case 38: // network out of order
    case 41: // temporary failure
    case 42: // switching equipment congestion
      return OriginateReason.congestion;
    case 19: // no answer
    case 26: // answered elsewhere
      return OriginateReason.ringing;
    default:
      return OriginateReason.failure;
  }
}

/** DialEnd `DialStatus` for a dial that did not end in ANSWER. */
export function dialStatusForCause(cause: number): string {
  if (cause === 17) return 'BUSY';
  if (cause === 19) return 'NOANSWER';
  if (originateReasonForCause(cause) === OriginateReason.congestion) return 'CONGESTION';
  if (cause === 16) return 'CANCEL';
  return 'CHANUNAVAIL';
}

/** Asterisk's channel states as ChannelState / ChannelStateDesc show them. */
export const ChannelState = {
  down: { code: 0, desc: 'Down' },
  ringing: { code: 5, desc: 'Ringing' },
  up: { code: 6, desc: 'Up' },
} as const;
export type ChannelStateName = keyof typeof ChannelState;
