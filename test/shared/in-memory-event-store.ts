import { randomUUID } from 'node:crypto';
import {
  WrongExpectedRevisionError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type RecordedEvent,
  type Subscription,
} from '../../src/eventstore/event-store.port';

/**
 * Just enough of the EventStore port to unit-test the command pipeline: optimistic concurrency,
 * ordered streams, and a hook to simulate a competing writer. No hash chain, no subscriptions.
 */
export class InMemoryEventStore implements EventStore {
  readonly name = 'in-memory';
  readonly appends: { streamId: string; expectedRevision: AppendOptions['expectedRevision'] }[] = [];
  /** Runs before each append is checked, e.g. to let "someone else" write first. */
  beforeAppend?: (streamId: string) => void;
  private readonly log: RecordedEvent[] = [];

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.beforeAppend?.(streamId);
    this.appends.push({ streamId, expectedRevision: options.expectedRevision });
    return this.appendNow(streamId, events, options);
  }

  /** Appends synchronously, bypassing the hook: the competing writer. */
  appendNow(streamId: string, events: NewEvent[], { expectedRevision }: AppendOptions): AppendResult {
    const current = this.revisionOf(streamId);
    const ok =
      expectedRevision === 'any' ||
      (expectedRevision === 'no_stream' && current === null) ||
      (typeof expectedRevision === 'number' && expectedRevision === current);
    if (!ok) throw new WrongExpectedRevisionError(streamId, expectedRevision, current);
    let revision = current ?? -1;
    for (const event of events) {
      revision += 1;
      this.log.push({
        id: event.id ?? randomUUID(),
        streamId,
        revision,
        position: BigInt(this.log.length + 1),
        type: event.type,
        schemaVersion: event.schemaVersion ?? 1,
        data: event.data,
        metadata: { occurredAt: new Date(0).toISOString(), ...event.metadata, prevHash: '', hash: '' },
      });
    }
    return { nextRevision: revision, position: BigInt(this.log.length) };
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    return this.log.filter((event) => event.streamId === streamId);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.log.filter((event) => options.after === undefined || event.position > options.after);
  }

  subscribeToAll(): Subscription {
    throw new Error('not supported by the in-memory test store');
  }

  async streamRevision(streamId: string): Promise<number | null> {
    return this.revisionOf(streamId);
  }

  async headPosition(): Promise<bigint> {
    return BigInt(this.log.length);
  }

  async listStreams(prefix = ''): Promise<string[]> {
    return [...new Set(this.log.map((event) => event.streamId))].filter((id) => id.startsWith(prefix));
  }

  async close(): Promise<void> {}

  private revisionOf(streamId: string): number | null {
    const events = this.log.filter((event) => event.streamId === streamId);
    return events.length === 0 ? null : events[events.length - 1].revision;
  }
}
