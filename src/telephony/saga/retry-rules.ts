import type { Disposition } from '../../calls/disposition';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../calls/retry-policy';

/** Dispositions no policy can retry: the number does not exist, dialing it again only costs money. */
const NEVER_RETRIED: ReadonlySet<Disposition> = new Set<Disposition>(['invalid-number']);

/** The policy with every missing field taken from the default (maxAttempts 3, 30 min, …). */
export function effectivePolicy(policy: Partial<RetryPolicy> | undefined): RetryPolicy {
  return {
    maxAttempts: policy?.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
    retryDelaySeconds: policy?.retryDelaySeconds ?? DEFAULT_RETRY_POLICY.retryDelaySeconds,
    retryOn: [...(policy?.retryOn ?? DEFAULT_RETRY_POLICY.retryOn)],
  };
}

export type AttemptVerdict = { readonly retry: false } | { readonly retry: true; readonly notBeforeMs: number };

/**
 * What an ended attempt means for its contact. Same rule as the call decider's ScheduleCallRetry:
 * retried only if the policy lists the disposition and attempts remain; the delay counts from when
 * the attempt ended.
 */
export function verdictFor(policy: RetryPolicy, attempt: number, disposition: Disposition, endedAtMs: number): AttemptVerdict {
  if (NEVER_RETRIED.has(disposition)) return { retry: false };
  if (!policy.retryOn.includes(disposition)) return { retry: false };
  if (attempt >= policy.maxAttempts) return { retry: false };
  return { retry: true, notBeforeMs: endedAtMs + policy.retryDelaySeconds * 1000 };
}
