import type { CloseUnknownDecision } from './decisions';
import type { DialerState } from './dialer-state';

export interface ReconcileOptions {
  /**
   * Calls requested less than this long ago are left alone: their Originate may still be on its
   * way to the PBX. Default 10 s.
   */
  graceSeconds?: number;
}

/**
 * Calls in doubt after a restart: live in the folded state (requested or originated, no outcome)
 * but absent from the PBX's live channels (SIREN_CALL_ID of CoreShowChannels). They are closed as
 * `unknown` — the runner records RecordHangup with disposition `unknown` — and are not dialed again
 * unless the campaign's policy retries `unknown`. Pure; safe to run again at any time, e.g. as a
 * periodic sweep.
 */
export function reconcile(
  state: DialerState,
  liveChannelCallIds: ReadonlySet<string>,
  now: Date,
  options: ReconcileOptions = {},
): CloseUnknownDecision[] {
  const cutoff = now.getTime() - (options.graceSeconds ?? 10) * 1000;
  const decisions: CloseUnknownDecision[] = [];
  for (const call of state.liveCalls.values()) {
    if (liveChannelCallIds.has(call.callId) || call.requestedAtMs > cutoff) continue;
    decisions.push({
      kind: 'close-unknown',
      callId: call.callId,
      ...(call.campaignId !== undefined ? { campaignId: call.campaignId } : {}),
      ...(call.contactId !== undefined ? { contactId: call.contactId } : {}),
    });
  }
  return decisions;
}
