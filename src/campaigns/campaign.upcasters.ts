import { defaultRetryPolicy } from '../calls/retry-policy';
import type { Upcaster } from '../shared/upcasters';

/** CampaignCreated v1 predates per-campaign retry policies; such campaigns ran on the defaults. */
export const campaignCreatedV1ToV2: Upcaster = {
  type: 'CampaignCreated',
  fromVersion: 1,
  up: (data) => ({ ...(data as object), retryPolicy: defaultRetryPolicy() }),
};

export const campaignUpcasters: readonly Upcaster[] = [campaignCreatedV1ToV2];
