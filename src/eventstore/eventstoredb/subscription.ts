import type { RecordedEvent, SubscribeOptions, Subscription } from '../event-store.port';
import { type EsdbResolvedEventLike, fromEsdbResolved, matchesFilter } from './event-mapping';

/** What this wrapper needs from the client's AllStreamSubscription (a Readable of resolved events). */
export interface SubscriptionSource {
  on(event: 'data', listener: (resolved: EsdbResolvedEventLike) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
  unsubscribe(): Promise<void>;
}

const DEFAULT_HIGH_WATER = 256;

/**
 * Wraps an ESDB catch-up subscription to $all as the port's Subscription: an AsyncIterable of
 * RecordedEvents strictly after `after`, in global order, each once, without system events, with
 * the port filter applied (the server filter covers at most part of it). `open` is called on the
 * first iteration, so a subscription that is never iterated holds no server resources; one that
 * was iterated holds them until close().
 */
export function wrapSubscription(open: () => SubscriptionSource, options: SubscribeOptions = {}): Subscription {
  const highWater = Math.max(1, options.batchSize ?? DEFAULT_HIGH_WATER);
  const queue: RecordedEvent[] = [];
  let lastPosition = options.after ?? -1n;
  let source: SubscriptionSource | null = null;
  let paused = false;
  let closed = false;
  let ended = false;
  let failure: Error | null = null;
  const waiters: Array<() => void> = [];

  const notify = (): void => {
    for (const w of waiters.splice(0)) w();
  };

  const onData = (resolved: EsdbResolvedEventLike): void => {
    if (closed) return;
    let event: RecordedEvent | null;
    try {
      event = fromEsdbResolved(resolved);
    } catch (err) {
      onError(err as Error);
      return;
    }
    if (!event) return;
    // Exclusive checkpoint and duplicate guard: ESDB's from-position semantics differ between reads and subscriptions.
    if (event.position <= lastPosition) return;
    lastPosition = event.position;
    if (!matchesFilter(event, options.filter)) return;
    queue.push(event);
    if (queue.length >= highWater && !paused && source) {
      paused = true;
      source.pause();
    }
    notify();
  };

  const onError = (err: Error): void => {
    if (closed || failure) return;
    failure = err;
    notify();
  };

  const onEnd = (): void => {
    ended = true;
    notify();
  };

  const start = (): void => {
    if (source || closed) return;
    try {
      source = open();
    } catch (err) {
      failure = err as Error;
      return;
    }
    source.on('data', onData);
    source.on('error', onError);
    source.on('end', onEnd);
    source.on('close', onEnd);
  };

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    queue.length = 0;
    notify();
    const s = source;
    if (s) {
      try {
        await s.unsubscribe();
      } catch {
        // Already gone; nothing to release.
      }
    }
  };

  const next = async (): Promise<IteratorResult<RecordedEvent>> => {
    start();
    for (;;) {
      if (closed) return { done: true, value: undefined };
      const event = queue.shift();
      if (event) {
        if (paused && queue.length <= highWater / 2 && source) {
          paused = false;
          source.resume();
        }
        return { done: false, value: event };
      }
      if (failure) {
        const err = failure;
        await close();
        throw err;
      }
      if (ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
      });
    }
  };

  // Leaving a for-await loop (break) ends that loop only: the subscription keeps its place (buffering,
  // with backpressure) so a later loop continues with the next event. close() releases the server side.
  const iterator: AsyncIterator<RecordedEvent> = {
    next,
    return: async () => ({ done: true, value: undefined }),
  };

  return {
    close,
    [Symbol.asyncIterator]: () => iterator,
  };
}
