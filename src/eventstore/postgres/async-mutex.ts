/**
 * A FIFO mutex: PGlite is one connection, so a transaction spanning several calls must not let
 * another caller's statements run in between (they would join or break the open transaction).
 */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
