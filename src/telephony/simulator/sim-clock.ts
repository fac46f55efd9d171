/**
 * Simulated time on real timers: a delay of `ms` simulated milliseconds fires after
 * `ms / timeScale` real ones, so at timeScale 100 a 30 s call takes 300 ms. Timers are grouped
 * (one group per call) so hanging up a call cancels exactly its pending steps.
 */
export class SimClock {
  private readonly groups = new Map<string, Set<NodeJS.Timeout>>();
  private readonly startedAt = Date.now();

  constructor(readonly timeScale: number) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new RangeError('timeScale must be a positive number');
  }

  /** Simulated milliseconds since the simulator started. */
  nowMs(): number {
    return (Date.now() - this.startedAt) * this.timeScale;
  }

  after(simMs: number, group: string, run: () => void): void {
    const timers = this.groups.get(group) ?? new Set<NodeJS.Timeout>();
    this.groups.set(group, timers);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (timers.size === 0 && this.groups.get(group) === timers) this.groups.delete(group);
      run();
    }, Math.max(0, simMs / this.timeScale));
    // A forgotten call must not keep a test or the CLI alive; the listening socket does that.
    timer.unref();
    timers.add(timer);
  }

  cancel(group: string): void {
    for (const timer of this.groups.get(group) ?? []) clearTimeout(timer);
    this.groups.delete(group);
  }

  clearAll(): void {
    for (const group of [...this.groups.keys()]) this.cancel(group);
  }

  pending(): number {
    let count = 0;
    for (const timers of this.groups.values()) count += timers.size;
    return count;
  }
}
