import { EventStore } from '../eventstore/event-store.port';
import { ChainBreak, findChainBreak } from '../eventstore/hash-chain';

export type BrokenStream = ChainBreak & { streamId: string };

export interface VerifyReport {
  streams: number;
  events: number;
  broken: BrokenStream[];
}

export interface VerifyOptions {
  /** Verify only this stream. */
  streamId?: string;
  /** Verify only streams whose id starts with this prefix. */
  prefix?: string;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Walks streams in the event store (not the read models: they are derived and could hide a
 * change) and reports the first broken hash-chain link of each stream.
 */
export async function verifyStreams(store: EventStore, options: VerifyOptions = {}): Promise<VerifyReport> {
  const streamIds = options.streamId ? [options.streamId] : await store.listStreams(options.prefix);
  const report: VerifyReport = { streams: 0, events: 0, broken: [] };
  for (const streamId of streamIds) {
    const events = await store.readStream(streamId);
    if (options.streamId && events.length === 0) {
      report.broken.push({ streamId, revision: 0, reason: 'revision-gap', detail: 'stream not found' });
    }
    const chainBreak = findChainBreak(events);
    if (chainBreak) report.broken.push({ streamId, ...chainBreak });
    report.streams++;
    report.events += events.length;
    options.onProgress?.(report.streams, streamIds.length);
  }
  return report;
}
