/** Upper bound for any reconnect delay: an AMI outage longer than this is noticed within 30 s of its end. */
export const MAX_RECONNECT_DELAY_MS = 30_000;

export interface BackoffOptions {
  /** Delay scale of the first attempt. */
  baseMs?: number;
  /** Cap on the exponential part (and so on every delay); at most MAX_RECONNECT_DELAY_MS. */
  maxMs?: number;
}

/**
 * Delay before reconnect attempt `attempt` (1-based): the exponential step min(max, base·2^(n-1)),
 * of which the upper half is jittered ("equal jitter"), so many clients restarted by one PBX
 * outage do not reconnect in lockstep, yet none retries in a tight loop. `rng` returns [0, 1).
 *
 * A pure function rather than the `exponential-backoff` package: that package retries one
 * promise-returning call with its own Math.random; our attempts are driven by socket events and
 * the attempt count resets on every successful login.
 */
export function nextDelay(attempt: number, rng: () => number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 500;
  const max = Math.min(options.maxMs ?? MAX_RECONNECT_DELAY_MS, MAX_RECONNECT_DELAY_MS);
  const exponent = Math.max(0, Math.min(attempt - 1, 30)); // 2^30 already exceeds any cap
  const step = Math.min(max, base * 2 ** exponent);
  const r = Math.min(Math.max(rng(), 0), 1);
  return Math.min(max, Math.round(step / 2 + (step / 2) * r));
}
