/**
 * One subscription's "something may have changed" signal, and how a reader tells whether it
 * concerns what it has already read.
 *
 * Two kinds of signal: a blind one (a local transaction ending, close(), a listener reconnecting,
 * an older Siren's NOTIFY) says nothing of where the log ends; an append (this process's, or
 * another's through its NOTIFY) says up to which position it wrote. A reader takes a mark() before
 * it reads; afterwards newSince() is true only when a blind signal came, or an append reported a
 * position beyond what the read covered. An append that committed just before the read ran and
 * signalled just after it started (on PGlite, where the read queues behind it, nearly always) is
 * in that read: reading again would only come back empty.
 */
export interface WakeMark {
  signals: number;
  blind: number;
  appendedUpTo: bigint;
}

export class Wakeup {
  private signals = 0;
  private blind = 0;
  /** Highest position an append of this process reported. */
  private appendedUpTo = 0n;
  private pending: (() => void) | null = null;

  mark(): WakeMark {
    return { signals: this.signals, blind: this.blind, appendedUpTo: this.appendedUpTo };
  }

  /**
   * Whether a reader that took `since` before a read covering the log up to `coveredUpTo` may find
   * more now. A read that was `blocked` (committed events past `coveredUpTo` waited on an older
   * transaction) takes any signal as news: the append that ends the wait may report a position
   * below one reported earlier.
   */
  newSince(since: WakeMark, coveredUpTo: bigint, blocked: boolean): boolean {
    if (this.blind !== since.blind || (blocked && this.signals !== since.signals)) return true;
    return this.appendedUpTo > since.appendedUpTo && this.appendedUpTo > coveredUpTo;
  }

  /** `appendedUpTo`: an append reached that position (omitted: a blind signal). */
  fire(appendedUpTo?: bigint): void {
    this.signals++;
    if (appendedUpTo === undefined) this.blind++;
    else if (appendedUpTo > this.appendedUpTo) this.appendedUpTo = appendedUpTo;
    const resolve = this.pending;
    this.pending = null;
    resolve?.();
  }

  /** Resolves at the next signal, or after `ms`. */
  wait(ms: number): Promise<void> {
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
