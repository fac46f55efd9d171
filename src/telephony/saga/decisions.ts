import type { RetryPolicy } from '../../calls/retry-policy';
import type { CampaignSummary } from '../../campaigns/campaign.events';

/**
 * What the saga wants done. The runner turns each into a command (and the AMI adapter into an
 * action): dial → RequestCall (appended before the Originate is sent), skip-dnc → ContactSkipped,
 * schedule-retry → ScheduleCallRetry, complete → CompleteCampaign, hangup → AMI Hangup,
 * close-unknown → RecordHangup with disposition `unknown`.
 */
export interface DialDecision {
  readonly kind: 'dial';
  readonly campaignId: string;
  readonly contactId: string;
  readonly phone: string;
  /** 1 for the first attempt at this contact. */
  readonly attempt: number;
  /** callIdFor(campaignId, contactId, attempt): the same attempt always has the same id. */
  readonly callId: string;
  /** The contact's 1-based place in the upload, for the tracking id (`JKD12.3`). */
  readonly sequence: number;
  readonly agentId: string;
  readonly route: string;
  readonly callerId?: string;
  /** The trunk the caps were charged to; put it in CallRequested.trunk so the fold charges it too. */
  readonly trunkHint?: string;
}

export interface SkipDncDecision {
  readonly kind: 'skip-dnc';
  readonly campaignId: string;
  readonly contactId: string;
  readonly phone: string;
}

export interface ScheduleRetryDecision {
  readonly kind: 'schedule-retry';
  readonly campaignId: string;
  readonly contactId: string;
  /** The ended attempt. */
  readonly callId: string;
  readonly nextAttempt: number;
  /** ISO-8601. */
  readonly notBefore: string;
  readonly retryPolicy: RetryPolicy;
}

export interface CompleteDecision {
  readonly kind: 'complete';
  readonly campaignId: string;
  readonly summary: CampaignSummary;
}

export interface HangupDecision {
  readonly kind: 'hangup';
  readonly campaignId: string;
  readonly callId: string;
  readonly reason: 'campaign-cancelled';
}

export interface CloseUnknownDecision {
  readonly kind: 'close-unknown';
  readonly callId: string;
  readonly campaignId?: string;
  readonly contactId?: string;
}

export type Decision =
  | DialDecision
  | SkipDncDecision
  | ScheduleRetryDecision
  | CompleteDecision
  | HangupDecision
  | CloseUnknownDecision;
