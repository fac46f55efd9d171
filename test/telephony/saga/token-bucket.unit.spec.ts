import { hasToken, refill, takeToken } from '../../../src/telephony/saga/token-bucket';

describe('token bucket', () => {
  const rate = { callsPerSecond: 5 };

  it('starts full and allows exactly N calls in a second', () => {
    let bucket = refill(undefined, rate, 0);
    let taken = 0;
    while (hasToken(bucket)) {
      bucket = takeToken(bucket);
      taken += 1;
    }
    expect(taken).toBe(5);
  });

  it('refills at the rate, up to the burst', () => {
    let bucket = { tokens: 0, atMs: 1000 };
    expect(hasToken(refill(bucket, rate, 1100))).toBe(false); // 0.5 token
    bucket = refill(bucket, rate, 1200); // 1 token
    expect(hasToken(bucket)).toBe(true);
    expect(refill(bucket, rate, 60_000).tokens).toBe(5);
    expect(refill({ tokens: 0, atMs: 0 }, { callsPerSecond: 2, burst: 10 }, 60_000).tokens).toBe(10);
  });

  it('refills nothing when the clock goes back', () => {
    expect(refill({ tokens: 1, atMs: 5000 }, rate, 4000)).toEqual({ tokens: 1, atMs: 5000 });
  });

  it('a trunk at 0 calls per second never dials', () => {
    expect(hasToken(refill(undefined, { callsPerSecond: 0 }, 0))).toBe(false);
  });
});
