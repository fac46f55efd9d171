import type { Clock } from '../../shared/tokens';

/**
 * Simulated time for demos and tests: `start + realElapsed × scale`, so a 30-minute retry delay
 * passes in 9 s at scale 200. The saga, the handlers and the retry rules all read the same clock,
 * so their notion of "due" agrees.
 */
export function scaledClock(scale: number, start: Date = new Date(), realNow: () => number = Date.now): Clock {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError('clock scale must be a positive number');
  const realStart = realNow();
  const simStart = start.getTime();
  return { now: () => new Date(simStart + (realNow() - realStart) * scale) };
}
