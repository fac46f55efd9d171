import { createHash } from 'node:crypto';
import type { EventMetadata } from './event-store.port';

/**
 * Tamper evidence (M3). Each event's hash covers its type, schema version, data, metadata
 * (without the hash itself), stream revision and — through metadata.prevHash — the hash of the
 * stream's previous event. Altering, removing or reordering any event breaks the chain at that
 * point, which `siren audit verify` reports.
 */
export interface HashInput {
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: Omit<EventMetadata, 'hash'> | EventMetadata;
  revision: number;
}

export function eventHash(event: HashInput): string {
  const { hash: _ignored, ...metadata } = event.metadata as EventMetadata;
  const canonical = canonicalJson({
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata,
    revision: event.revision,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** JSON with object keys sorted, so the hash does not depend on key order after a round trip. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) sorted[key] = sortKeys(v);
    }
    return sorted;
  }
  return value;
}

export interface ChainLink {
  revision: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata;
}

export type ChainBreak =
  | { revision: number; reason: 'revision-gap'; detail: string }
  | { revision: number; reason: 'prev-hash-mismatch'; detail: string }
  | { revision: number; reason: 'hash-mismatch'; detail: string };

/** Walks one stream's events in revision order and returns the first broken link, if any. */
export function findChainBreak(events: ChainLink[]): ChainBreak | null {
  let prevHash = '';
  let expectedRevision = 0;
  for (const e of events) {
    if (e.revision !== expectedRevision) {
      return {
        revision: expectedRevision,
        reason: 'revision-gap',
        detail: `expected revision ${expectedRevision}, found ${e.revision} (an event was removed or reordered)`,
      };
    }
    if ((e.metadata.prevHash ?? '') !== prevHash) {
      return { revision: e.revision, reason: 'prev-hash-mismatch', detail: 'previous-hash link does not match the previous event' };
    }
    const actual = eventHash(e);
    if (actual !== e.metadata.hash) {
      return { revision: e.revision, reason: 'hash-mismatch', detail: 'event content does not match its hash (altered)' };
    }
    prevHash = e.metadata.hash;
    expectedRevision++;
  }
  return null;
}
