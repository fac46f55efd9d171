/**
 * Calls-per-second pacing per trunk. The buckets are not derived from events: a missing bucket
 * counts as full, and DialerRuntime starts each trunk's with one token instead, so a restart ramps
 * up at the trunk's rate rather than bursting. They are passed into `planDialing` and the new
 * buckets come back with its decisions, so planning stays a pure function.
 */
export interface TokenBucket {
  /** Tokens available at `atMs` (fractional while refilling). */
  readonly tokens: number;
  readonly atMs: number;
}

export type TrunkBuckets = ReadonlyMap<string, TokenBucket>;

export const emptyBuckets = (): TrunkBuckets => new Map();

export interface BucketRate {
  /** Tokens added per second. */
  callsPerSecond: number;
  /** Most tokens the bucket holds; defaults to `callsPerSecond` (at least 1; 0 for a stopped trunk). */
  burst?: number;
}

const capacityOf = (rate: BucketRate): number =>
  rate.burst ?? (rate.callsPerSecond > 0 ? Math.max(1, rate.callsPerSecond) : 0);

/** The bucket as it stands at `nowMs`; a missing bucket is full. A clock that went back refills nothing. */
export function refill(bucket: TokenBucket | undefined, rate: BucketRate, nowMs: number): TokenBucket {
  const capacity = capacityOf(rate);
  if (!bucket) return { tokens: capacity, atMs: nowMs };
  const elapsedMs = Math.max(0, nowMs - bucket.atMs);
  const tokens = Math.min(capacity, bucket.tokens + (elapsedMs / 1000) * rate.callsPerSecond);
  return { tokens, atMs: Math.max(nowMs, bucket.atMs) };
}

/** Whole tokens can be spent; the small epsilon absorbs floating-point refill error. */
export const hasToken = (bucket: TokenBucket): boolean => bucket.tokens >= 1 - 1e-9;

export const takeToken = (bucket: TokenBucket): TokenBucket => ({ tokens: Math.max(0, bucket.tokens - 1), atMs: bucket.atMs });
