import type { Disposition } from '../../calls/disposition';

/**
 * OriginateResponse `Reason` is an AST_CONTROL_* frame number, not a Q.850 cause (see the
 * simulator's hangup-causes.ts): 4 answered, 5 busy, 3 rang without answer, 8 congestion (which
 * Asterisk also uses for rejected and network failures), 1 hung up, 0 failed.
 */
export const ORIGINATE_ANSWERED = 4;

const REASON_DISPOSITIONS: Readonly<Record<number, Disposition>> = {
  3: 'no-answer',
  5: 'busy',
  8: 'congestion',
};

/** What a failed Originate's Reason says about the far end, when it says anything. */
export function dispositionForReason(reason: number): Disposition | undefined {
  return REASON_DISPOSITIONS[reason];
}

const DIAL_STATUS_DISPOSITIONS: Readonly<Record<string, Disposition>> = {
  BUSY: 'busy',
  NOANSWER: 'no-answer',
  CONGESTION: 'congestion',
};

/** DialEnd's DialStatus, for the same purpose; CHANUNAVAIL and CANCEL say too little. */
export function dispositionForDialStatus(status: string | undefined): Disposition | undefined {
  return status === undefined ? undefined : DIAL_STATUS_DISPOSITIONS[status.toUpperCase()];
}

/**
 * Normal clearing or no cause at all on a call that never answered hides why it ended (e.g. the
 * Originate's ring timeout); the Reason or DialStatus then tells busy from no-answer.
 */
export function causeIsVague(cause: number): boolean {
  return cause === 0 || cause === 16;
}

/**
 * `PJSIP/trunk-a-0000002a` → `trunk-a`: Asterisk names a channel after its endpoint plus a hex
 * sequence, so the endpoint is the trunk when Siren did not say which trunk it dialed through.
 */
export function trunkFromChannel(channel: string): string {
  const resource = channel.slice(channel.indexOf('/') + 1).replace(/;\d+$/, '').replace(/-[0-9a-f]+$/i, '');
  const at = resource.lastIndexOf('@');
  const endpoint = at >= 0 ? resource.slice(at + 1) : resource;
  return endpoint || 'unknown';
}
