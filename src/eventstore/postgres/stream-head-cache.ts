import type { StreamHead } from './append-plan';

/**
 * Stream heads this process has seen committed (its own appends, full stream reads). Appends
 * plan against them and write in one round trip (queries.ts APPEND_PLANNED), so the common case —
 * one process writing a stream it just created or read — costs one round trip instead of two.
 *
 * Why a remembered head needs no check: it is a real committed (revision, hash) pair, and a
 * stream only grows. If the stream has moved on since, the planned next revision already exists
 * and the unique (stream_id, revision) constraint refuses the insert, so nothing commits and the
 * writer falls back to locking and reading the head. The same holds for a stream remembered as
 * absent that exists (revision 0 exists) and for a re-appended event id (stream_id, event_id).
 */
export class StreamHeadCache {
  private readonly heads = new Map<string, StreamHead>();

  constructor(private readonly capacity = 10_000) {}

  /** A stream we have never seen is assumed not to exist (new call streams, the common case). */
  get(streamId: string): StreamHead {
    return this.heads.get(streamId) ?? { revision: null, lastHash: '', lastPosition: 0n };
  }

  remember(streamId: string, head: StreamHead): void {
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > this.capacity) {
      // Maps iterate in insertion order: the first key is the least recently remembered.
      this.heads.delete(this.heads.keys().next().value as string);
    }
  }

  forget(streamId: string): void {
    this.heads.delete(streamId);
  }
}
