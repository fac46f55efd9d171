import { MAX_CONTACTS_PER_CHUNK } from '../campaign.events';
import type { ImportResult, ValidContact } from './import.types';

/**
 * A ContactsImported event carries at most this many contacts. Same value as the event's own
 * limit (ImportContacts validates against it), re-exported so there is one source of truth.
 */
export const MAX_CONTACTS_PER_EVENT: number = MAX_CONTACTS_PER_CHUNK;

/** Splits items into consecutive slices of at most `size`, preserving order. */
export function chunk<T>(items: readonly T[], size: number = MAX_CONTACTS_PER_EVENT): T[][] {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  }
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** The valid contacts of an import, sized for ContactsImported events. */
export function contactChunks(result: Pick<ImportResult, 'valid'>, size: number = MAX_CONTACTS_PER_EVENT): ValidContact[][] {
  return chunk(result.valid, size);
}
