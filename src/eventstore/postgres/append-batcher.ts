/**
 * Group commit for appends. Each append costs a transaction, and on this class of machine the
 * server tops out at a few thousand commits per second however small they are; callers appending
 * concurrently (the dialer, projections' command side, many agents) would queue on that. So
 * appends that arrive while earlier ones are being written wait here and go into the next
 * transaction together — each still with its own expectation check and hash chain (planGroup),
 * and each refused or failed on its own.
 */
export interface Pending<R, T> {
  request: R;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export interface AppendBatcherOptions {
  /** Transactions in flight at once. More overlap commits; too many just contend. */
  concurrency: number;
  /** Most events one transaction takes; a single larger append still goes alone. */
  maxEvents: number;
}

export class AppendBatcher<R extends { events: unknown[] }, T> {
  private readonly queue: Pending<R, T>[] = [];
  private inFlight = 0;

  constructor(
    private readonly flush: (group: Pending<R, T>[]) => Promise<void>,
    private readonly options: AppendBatcherOptions,
  ) {}

  submit(request: R): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < this.options.concurrency && this.queue.length > 0) {
      const group = this.takeGroup();
      this.inFlight++;
      this.flush(group)
        .catch((error) => group.forEach((p) => p.reject(error)))
        .finally(() => {
          this.inFlight--;
          this.drain();
        });
    }
  }

  private takeGroup(): Pending<R, T>[] {
    let events = 0;
    let count = 0;
    while (count < this.queue.length) {
      const size = this.queue[count].request.events.length;
      if (count > 0 && events + size > this.options.maxEvents) break;
      events += size;
      count++;
    }
    return this.queue.splice(0, count);
  }
}
