/**
 * Embedded PGlite runs in this thread and answers through promises alone, so a loop of batches
 * would never let timers and sockets in: the dialer beside a background rebuild would stall.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
