/**
 * One subscription's "something may have changed" signal: resolved by a NOTIFY, by close(), or by
 * the poll timeout. The generation counter closes the race where a NOTIFY arrives while the
 * subscription is still reading: it then re-reads at once instead of sleeping on a stale view.
 */
export class Wakeup {
  private generation = 0;
  private pending: (() => void) | null = null;

  get current(): number {
    return this.generation;
  }

  fire(): void {
    this.generation++;
    const resolve = this.pending;
    this.pending = null;
    resolve?.();
  }

  /** Resolves when fired after `sinceGeneration`, or after `ms`. */
  wait(ms: number, sinceGeneration: number): Promise<void> {
    if (this.generation !== sinceGeneration) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        if (self.pending === done) self.pending = null;
        resolve();
      }
      this.pending?.();
      this.pending = done;
    });
  }
}
