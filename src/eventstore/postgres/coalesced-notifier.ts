/**
 * Sends `NOTIFY siren_events, '<position>'` after appends commit, at most one in flight per store.
 *
 * Not inside the append transaction: a transaction that has issued NOTIFY takes a cluster-wide
 * lock at commit, which would serialize all appending commits and defeat group commit.
 * Coalesced: a poke while a NOTIFY is in flight only marks "again", and one more NOTIFY is sent
 * when the current one completes -- so every commit is followed by at least one NOTIFY that
 * started after it, which is all a listener needs to re-read. Its payload is the highest position
 * appended so far: a listener whose last read already covered it need not read again (wakeup.ts).
 */
export class CoalescedNotifier {
  private inFlight: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private appendedUpTo = 0n;

  constructor(
    private readonly send: (appendedUpTo: bigint) => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  poke(appendedUpTo: bigint): void {
    if (this.closed) return;
    if (appendedUpTo > this.appendedUpTo) this.appendedUpTo = appendedUpTo;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = this.loop();
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        try {
          await this.send(this.appendedUpTo);
        } catch (err) {
          // Listeners also poll, so a lost NOTIFY costs latency, not events.
          this.onError(err);
        }
      } while (this.again && !this.closed);
    } finally {
      this.inFlight = null;
    }
  }

  /** Waits for the NOTIFY in flight, then refuses new pokes. */
  async close(): Promise<void> {
    this.closed = true;
    await this.inFlight;
  }
}
