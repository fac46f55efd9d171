import { Wakeup } from '../../src/eventstore/postgres/wakeup';

/** When a subscription that read the log up to some position has a reason to read again. */
describe('Wakeup', () => {
  it('an append at or below what the read covered is no news; one beyond it is', () => {
    const w = new Wakeup();
    const mark = w.mark();
    w.fire(10n);
    expect(w.newSince(mark, 10n, false)).toBe(false);
    w.fire(7n); // an older append signalling late
    expect(w.newSince(mark, 10n, false)).toBe(false);
    w.fire(11n);
    expect(w.newSince(mark, 10n, false)).toBe(true);
  });

  it('a blind signal (a local transaction ending, another process) is always news', () => {
    const w = new Wakeup();
    const mark = w.mark();
    expect(w.newSince(mark, 0n, false)).toBe(false);
    w.fire();
    expect(w.newSince(mark, 1_000n, false)).toBe(true);
  });

  it('after a blocked read any signal is news, even a position below one reported before the read', () => {
    const w = new Wakeup();
    w.fire(20n); // reported before the read: events up to 20 are committed
    const mark = w.mark();
    expect(w.newSince(mark, 5n, true)).toBe(false); // the read knew: it was blocked at 5
    w.fire(12n); // the append that blocked it commits
    expect(w.newSince(mark, 5n, true)).toBe(true);
    expect(w.newSince(mark, 5n, false)).toBe(false);
  });

  it('wait() resolves at the next signal, or after its time', async () => {
    const w = new Wakeup();
    const t0 = Date.now();
    const waiting = w.wait(60_000);
    w.fire(3n);
    await waiting;
    expect(Date.now() - t0).toBeLessThan(10_000);
    const t1 = Date.now();
    await w.wait(5);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(4);
  });
});
