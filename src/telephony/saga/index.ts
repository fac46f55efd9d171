/** The campaign dialer's brain (capability M7): the saga decides, the AMI adapter acts. */
export { sha256CallId, type CallIdFor } from './call-id';
export { isWithinCallingWindow, localClock, parseClockTime, type LocalClock, type Weekday } from './calling-window';
export { allContacts, findContact, hopper, type ContactBook, type ContactState, type ContactStatus } from './contact-book';
export * from './decisions';
export { dialerStreamId, type ContactSkipped, type ContactSkipReason, type DialerEvent } from './dialer.events';
export {
  evolveDialer,
  foldDialer,
  initialDialerState,
  summaryOf,
  type CampaignSettings,
  type DialerCampaign,
  type DialerState,
  type LiveCall,
} from './dialer-state';
export { planDialing, type DialerLimits, type DialPlan, type PlanInput, type TrunkLimits } from './plan-dialing';
export { reconcile, type ReconcileOptions } from './reconcile';
export { effectivePolicy, verdictFor } from './retry-rules';
export { emptyBuckets, type TokenBucket, type TrunkBuckets } from './token-bucket';
