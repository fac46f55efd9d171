import { Wakeup } from './wakeup';

/**
 * One LISTEN per store, shared by its subscriptions (a projection process may run many; one
 * connection each would waste connections). Started by the first subscription, released by the
 * last. If the listening connection fails, subscriptions keep going on their fallback poll while
 * the hub reconnects, and every subscription is woken after a reconnect in case NOTIFYs were
 * missed in between.
 */
export class NotificationHub {
  private readonly wakeups = new Set<Wakeup>();
  private stop: Promise<(() => Promise<void>) | null> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly listen: (onNotify: (appendedUpTo?: bigint) => void, onError: (err: Error) => void) => Promise<() => Promise<void>>,
    private readonly reconnectMs = 1000,
  ) {}

  /** Registers a wakeup and resolves once LISTEN is active (or failed; polling still works). */
  async add(wakeup: Wakeup): Promise<void> {
    this.wakeups.add(wakeup);
    if (!this.stop && !this.closed) this.start();
    await this.stop;
  }

  async remove(wakeup: Wakeup): Promise<void> {
    if (!this.wakeups.delete(wakeup) || this.wakeups.size > 0) return;
    await this.shutdown();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeups.clear();
    await this.shutdown();
  }

  private start(): void {
    this.stop = this.listen(
      (appendedUpTo) => this.fireAll(appendedUpTo),
      () => this.onListenerError(),
    ).catch(() => {
      this.scheduleReconnect();
      return null;
    });
  }

  /**
   * Wakes every subscription at once. Also called by the store after its own appends commit: a
   * subscription in the appending process needs no NOTIFY round trip through the server (and no
   * wait for a NOTIFY already in flight) to learn of them.
   */
  fireAll(appendedUpTo?: bigint): void {
    for (const w of this.wakeups) w.fire(appendedUpTo);
  }

  private onListenerError(): void {
    const stopping = this.stop;
    this.stop = null;
    void stopping?.then((stop) => stop?.()).catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer || this.wakeups.size === 0) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.closed || this.wakeups.size === 0) return;
      this.stop = null;
      this.start();
      void this.stop!.then(() => this.fireAll());
    }, this.reconnectMs);
  }

  private async shutdown(): Promise<void> {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const stopping = this.stop;
    this.stop = null;
    const stop = await stopping;
    await stop?.().catch(() => undefined);
  }
}
