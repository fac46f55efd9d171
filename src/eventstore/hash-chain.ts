import * as crypto from 'node:crypto';
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

/** The definition of an event's hash; verification uses it as is. */
export function eventHash(event: HashInput): string {
  const { hash: _ignored, ...metadata } = event.metadata as EventMetadata;
  const canonical = canonicalJson({
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata,
    revision: event.revision,
  });
  return sha256Hex(canonical);
}

/**
 * The same hash from parts already in canonical JSON (the append path has them: it stores that
 * very text). Equal to eventHash by construction -- canonicalJson of the whole object is its keys
 * in sorted order (data, metadata, revision, schemaVersion, type), each value canonical -- and
 * the unit tests check it.
 */
export function eventHashOfCanonical(
  dataJson: string,
  metadataJsonWithoutHash: string,
  revision: number,
  schemaVersion: number,
  type: string,
): string {
  return sha256Hex(
    `{"data":${dataJson},"metadata":${metadataJsonWithoutHash},"revision":${revision},"schemaVersion":${schemaVersion},"type":${JSON.stringify(type)}}`,
  );
}

const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

function sha256Hex(text: string): string {
  // crypto.hash (Node >= 20.12) skips the Hash object: measurably cheaper for inputs this small.
  return oneShotHash ? oneShotHash('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted, so the hash does not depend on key order after a round trip. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/**
 * canonicalJson of what a JSON round trip makes of `value` (Dates become strings, toJSON is
 * applied, undefined members vanish): the text that is both hashed and stored, so an event is
 * serialized once. Plain JSON-shaped values (the usual event data) are written in one pass;
 * anything else takes the literal round trip, so the result is the same either way.
 */
export function canonicalJsonOf(value: unknown): string {
  try {
    return writePlain(value, 0);
  } catch (err) {
    if (err !== NOT_PLAIN) throw err;
    return canonicalJson(JSON.parse(JSON.stringify(value)));
  }
}

/**
 * The members of canonicalJsonOf(value) for an object value, in its order, each as
 * [key, canonical JSON of the member]: lets the append path add a member (prevHash) later
 * without serializing the rest again.
 */
export function canonicalMembersOf(value: object): [string, string][] {
  try {
    return plainMembers(value as Record<string, unknown>, 0);
  } catch (err) {
    if (err !== NOT_PLAIN) throw err;
    const sorted = sortKeys(JSON.parse(JSON.stringify(value)));
    if (sorted === null || typeof sorted !== 'object' || Array.isArray(sorted)) throw new TypeError('expected an object');
    return Object.entries(sorted).map(([k, v]) => [k, JSON.stringify(v)]);
  }
}

const NOT_PLAIN = new Error('not plain JSON');

function plainMembers(object: Record<string, unknown>, depth: number): [string, string][] {
  const members: [string, string][] = [];
  for (const key of plainKeys(object)) {
    const member = object[key];
    if (member !== undefined) members.push([key, writePlain(member, depth + 1)]);
  }
  return members;
}

/** A plain object's keys in canonical order; NOT_PLAIN for anything the round trip would change. */
function plainKeys(object: object): string[] {
  const proto = Object.getPrototypeOf(object);
  if ((proto !== Object.prototype && proto !== null) || 'toJSON' in object) throw NOT_PLAIN;
  const keys = Object.keys(object).sort();
  for (const key of keys) {
    // Integer-like keys are ordered numerically by JavaScript objects (and so by sortKeys),
    // and __proto__ is special: leave both to the round trip.
    const c = key.charCodeAt(0);
    if ((c >= 48 && c <= 57) || key === '__proto__') throw NOT_PLAIN;
  }
  return keys;
}

function writePlain(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return JSON.stringify(value); // NaN and Infinity become null, as in JSON
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (depth > 64) throw NOT_PLAIN; // deep or circular: let JSON itself decide
      const proto = Object.getPrototypeOf(value);
      if (proto === Array.prototype && !('toJSON' in (value as object))) {
        const array = value as unknown[];
        let out = '[';
        for (let i = 0; i < array.length; i++) {
          if (i > 0) out += ',';
          out += array[i] === undefined ? 'null' : writePlain(array[i], depth + 1);
        }
        return `${out}]`;
      }
      const object = value as Record<string, unknown>;
      let out = '{';
      for (const key of plainKeys(object)) {
        const member = object[key];
        if (member !== undefined) out += `${out.length > 1 ? ',' : ''}${quotedKey(key)}:${writePlain(member, depth + 1)}`;
      }
      return `${out}}`;
    }
    default:
      throw NOT_PLAIN; // undefined at the top, bigint, function, symbol
  }
}

/**
 * JSON.stringify(key), remembered: events of one type repeat the same few keys, and quoting them
 * again for every event showed in profiles. Bounded, so odd keys cannot grow it without limit.
 */
const quotedKeys = new Map<string, string>();
export function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 10_000 && key.length <= 64) quotedKeys.set(key, quoted);
  }
  return quoted;
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
