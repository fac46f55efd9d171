import { MAX_RECONNECT_DELAY_MS, nextDelay } from '../../../src/telephony/ami/ami-backoff';

describe('reconnect backoff', () => {
  const low = () => 0;
  const high = () => 0.999999;

  it('grows exponentially from the base, jittering the upper half of each step', () => {
    expect([1, 2, 3, 4].map((n) => nextDelay(n, low, { baseMs: 1000 }))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => nextDelay(n, high, { baseMs: 1000 }))).toEqual([1000, 2000, 4000, 8000]);
    expect(nextDelay(3, () => 0.5, { baseMs: 1000 })).toBe(3000);
  });

  it('is capped by maxMs and never exceeds 30 s whatever the caller asks', () => {
    for (const attempt of [10, 50, 1000, Number.MAX_SAFE_INTEGER]) {
      expect(nextDelay(attempt, high, { baseMs: 1000, maxMs: 5000 })).toBeLessThanOrEqual(5000);
      expect(nextDelay(attempt, high, { baseMs: 1000, maxMs: 120_000 })).toBeLessThanOrEqual(MAX_RECONNECT_DELAY_MS);
      expect(nextDelay(attempt, low, { baseMs: 1000, maxMs: 5000 })).toBe(2500);
    }
  });

  it('spreads clients apart: different rng draws give different delays', () => {
    const delays = new Set([0.1, 0.3, 0.5, 0.7, 0.9].map((r) => nextDelay(6, () => r, { baseMs: 500 })));
    expect(delays.size).toBe(5);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(8000);
      expect(d).toBeLessThanOrEqual(16000);
    }
  });

  it('tolerates an rng outside [0, 1) and attempt 0', () => {
    expect(nextDelay(1, () => 5, { baseMs: 1000 })).toBe(1000);
    expect(nextDelay(1, () => -1, { baseMs: 1000 })).toBe(500);
    expect(nextDelay(0, low, { baseMs: 1000 })).toBe(500);
  });
});
