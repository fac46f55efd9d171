import { MAX_CONTACTS_PER_CHUNK, type Contact } from '../../campaigns/campaign.events';
import type { Disposition } from '../../calls/disposition';
import type { ContactSkipReason } from './dialer.events';

/** pending: to be dialed now or after its retry delay; live: a call is up; done: nothing more to do. */
export type ContactStatus = 'pending' | 'live' | 'done';

export interface ContactState {
  readonly contactId: string;
  /** E.164. */
  readonly phone: string;
  /**
   * 1-based place in the upload, for tracking ids (`JKD12.3`): chunkIndex × chunk size + position
   * in the chunk + 1. Stable whatever order the chunks arrive in.
   */
  readonly sequence: number;
  /** Attempts requested so far (the highest attempt number seen). */
  readonly attempts: number;
  readonly status: ContactStatus;
  readonly liveCallId?: string;
  readonly lastCallId?: string;
  readonly lastDisposition?: Disposition;
  readonly skipped?: ContactSkipReason;
  /** Epoch ms before which a pending retry is not dialed; absent for a contact never dialed. */
  readonly nextEligibleAt?: number;
  /** A pending retry whose CallRetryScheduled is in the log (the saga stops asking for it). */
  readonly retryRecorded?: boolean;
}

export interface ContactCounts {
  readonly total: number;
  /** Pending, never dialed. */
  readonly fresh: number;
  /** Pending, waiting for (or due for) a retry. */
  readonly retrying: number;
  readonly live: number;
  readonly done: number;
}

/**
 * One ContactsImported chunk (≤ MAX_CONTACTS_PER_CHUNK contacts). Contacts are kept in these
 * chunks so that a call event copies one chunk, not the whole campaign: evolve stays pure without
 * making a fold over millions of events quadratic. The counts let the planner skip whole chunks.
 */
export interface ContactChunk extends ContactCounts {
  readonly chunkIndex: number;
  readonly contacts: readonly ContactState[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** Earliest `nextEligibleAt` among retrying contacts (Infinity when none). */
  readonly nextDueAt: number;
  /** Retrying contacts whose retry is not recorded yet. */
  readonly unrecordedRetries: number;
}

/** A campaign's contacts in import order: by chunk index, then by position in the chunk. */
export interface ContactBook extends ContactCounts {
  readonly chunks: readonly ContactChunk[];
}

export const emptyContactBook = (): ContactBook => ({ chunks: [], total: 0, fresh: 0, retrying: 0, live: 0, done: 0 });

export const isFresh = (c: ContactState): boolean => c.status === 'pending' && c.attempts === 0;
export const isRetrying = (c: ContactState): boolean => c.status === 'pending' && c.attempts > 0;
export const needsRetryRecorded = (c: ContactState): boolean => isRetrying(c) && c.retryRecorded !== true;

function buildChunk(
  chunkIndex: number,
  contacts: readonly ContactState[],
  indexOf: ReadonlyMap<string, number>,
): ContactChunk {
  let fresh = 0;
  let retrying = 0;
  let live = 0;
  let done = 0;
  let nextDueAt = Infinity;
  let unrecordedRetries = 0;
  for (const contact of contacts) {
    if (contact.status === 'live') live += 1;
    else if (contact.status === 'done') done += 1;
    else if (contact.attempts === 0) fresh += 1;
    else {
      retrying += 1;
      nextDueAt = Math.min(nextDueAt, contact.nextEligibleAt ?? -Infinity);
      if (contact.retryRecorded !== true) unrecordedRetries += 1;
    }
  }
  return { chunkIndex, contacts, indexOf, total: contacts.length, fresh, retrying, live, done, nextDueAt, unrecordedRetries };
}

type Bucket = 'fresh' | 'retrying' | 'live' | 'done';

const bucketOf = (c: ContactState): Bucket =>
  c.status === 'live' ? 'live' : c.status === 'done' ? 'done' : c.attempts === 0 ? 'fresh' : 'retrying';

/** The chunk after one contact changed: counts adjusted, not recounted (a fold applies this per call event). */
function rechunk(chunk: ContactChunk, contacts: readonly ContactState[], before: ContactState, after: ContactState): ContactChunk {
  const counts = { fresh: chunk.fresh, retrying: chunk.retrying, live: chunk.live, done: chunk.done };
  counts[bucketOf(before)] -= 1;
  counts[bucketOf(after)] += 1;
  const unrecordedRetries =
    chunk.unrecordedRetries - (needsRetryRecorded(before) ? 1 : 0) + (needsRetryRecorded(after) ? 1 : 0);
  const dueOf = (c: ContactState): number => (isRetrying(c) ? (c.nextEligibleAt ?? -Infinity) : Infinity);
  // The earliest due time only needs a rescan when the contact that held it moved later or left.
  const nextDueAt =
    dueOf(before) <= chunk.nextDueAt && dueOf(after) > dueOf(before)
      ? contacts.reduce((min, c) => Math.min(min, dueOf(c)), Infinity)
      : Math.min(chunk.nextDueAt, dueOf(after));
  return { ...chunk, contacts, ...counts, nextDueAt, unrecordedRetries };
}

function withChunks(chunks: readonly ContactChunk[]): ContactBook {
  const sum = (key: keyof ContactCounts): number => chunks.reduce((n, chunk) => n + chunk[key], 0);
  return {
    chunks,
    total: sum('total'),
    fresh: sum('fresh'),
    retrying: sum('retrying'),
    live: sum('live'),
    done: sum('done'),
  };
}

/** Index in `chunks` of the chunk holding the contact, or -1. */
function chunkHolding(book: ContactBook, contactId: string): number {
  return book.chunks.findIndex((chunk) => chunk.indexOf.has(contactId));
}

export function findContact(book: ContactBook, contactId: string): ContactState | undefined {
  const at = chunkHolding(book, contactId);
  if (at < 0) return undefined;
  const chunk = book.chunks[at]!;
  return chunk.contacts[chunk.indexOf.get(contactId)!];
}

/**
 * Adds one imported chunk. A chunk index seen before is ignored (the decider already refuses
 * resent chunks), and so is a repeated contact id within the chunk. Contact ids are unique per
 * campaign (the importer assigns them); checking that across chunks would cost O(contacts) each.
 */
export function addChunk(book: ContactBook, chunkIndex: number, contacts: readonly Contact[]): ContactBook {
  if (book.chunks.some((chunk) => chunk.chunkIndex === chunkIndex)) return book;
  const states: ContactState[] = [];
  const indexOf = new Map<string, number>();
  contacts.forEach(({ contactId, phone }, position) => {
    if (indexOf.has(contactId)) return;
    indexOf.set(contactId, states.length);
    const sequence = chunkIndex * MAX_CONTACTS_PER_CHUNK + position + 1;
    states.push({ contactId, phone, sequence, attempts: 0, status: 'pending' });
  });
  const chunk = buildChunk(chunkIndex, states, indexOf);
  const chunks = [...book.chunks, chunk].sort((a, b) => a.chunkIndex - b.chunkIndex);
  return withChunks(chunks);
}

/** Replaces one contact; copies only its chunk. Unknown contacts leave the book as it is. */
export function updateContact(
  book: ContactBook,
  contactId: string,
  change: (contact: ContactState) => ContactState,
): ContactBook {
  const at = chunkHolding(book, contactId);
  if (at < 0) return book;
  const chunk = book.chunks[at]!;
  const index = chunk.indexOf.get(contactId)!;
  const before = chunk.contacts[index]!;
  const after = change(before);
  if (after === before) return book;
  const contacts = chunk.contacts.slice();
  contacts[index] = after;
  const updated = rechunk(chunk, contacts, before, after);
  const chunks = book.chunks.slice();
  chunks[at] = updated;
  return {
    chunks,
    total: book.total,
    fresh: book.fresh - chunk.fresh + updated.fresh,
    retrying: book.retrying - chunk.retrying + updated.retrying,
    live: book.live - chunk.live + updated.live,
    done: book.done - chunk.done + updated.done,
  };
}

/** Pending retries not yet recorded as CallRetryScheduled, in import order. */
export function* unrecordedRetries(book: ContactBook): Generator<ContactState> {
  for (const chunk of book.chunks) {
    if (chunk.unrecordedRetries === 0) continue;
    for (const contact of chunk.contacts) if (needsRetryRecorded(contact)) yield contact;
  }
}

/** Every contact in import order. */
export function* allContacts(book: ContactBook): Generator<ContactState> {
  for (const chunk of book.chunks) yield* chunk.contacts;
}

/**
 * The hopper: contacts that may be dialed at `nowMs`, in the order they should be. Fresh contacts
 * come first, in import order, then retries that are due, also in import order (not by due time:
 * a retry that has waited longer gains nothing over one imported earlier, and import order is what
 * an agent who uploaded the list expects). Lazy, so the planner reads only as far as it dials.
 */
export function* hopper(book: ContactBook, nowMs: number): Generator<ContactState> {
  for (const chunk of book.chunks) {
    if (chunk.fresh === 0) continue;
    for (const contact of chunk.contacts) if (isFresh(contact)) yield contact;
  }
  for (const chunk of book.chunks) {
    if (chunk.retrying === 0 || chunk.nextDueAt > nowMs) continue;
    for (const contact of chunk.contacts) {
      if (isRetrying(contact) && (contact.nextEligibleAt ?? -Infinity) <= nowMs) yield contact;
    }
  }
}
