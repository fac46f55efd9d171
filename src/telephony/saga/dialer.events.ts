import type { DomainEvent } from '../../shared/domain-event';

/**
 * The saga's own stream per campaign, `dialer-<campaignId>`: facts the dialer decides that belong
 * to no call (a contact skipped because it is on the do-not-call list when its turn came).
 */
export const dialerStreamId = (campaignId: string): string => `dialer-${campaignId}`;

export type ContactSkipReason = 'do-not-call';

/** A contact that will not be dialed (again). The dialer folds it by type, whatever the stream. */
export type ContactSkipped = DomainEvent<
  'ContactSkipped',
  { campaignId: string; contactId: string; phone: string; reason: ContactSkipReason; at: string },
  1
>;

export type DialerEvent = ContactSkipped;
