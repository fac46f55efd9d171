import { isSupportedCountry } from 'libphonenumber-js';
import { countLines, decodeUtf8, hasUtf16Bom } from './decode-text';
import { assertNotBinary, assertSupportedExtension, detectFormat } from './detect-content';
import { ImportError, displayName, fileTooLarge, formatCount } from './import.errors';
import type { Candidate, CsvColumn, ImportOptions, ImportResult } from './import.types';
import { normalizePhone } from './normalize-phone';
import { readCsv } from './read-csv';
import { readTxt } from './read-txt';

// Callers (the CLI, the upload endpoint) import the summary from the entry module.
export { summarizeImport } from './summarize';
export { ImportError } from './import.errors';
export type * from './import.types';

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_NUMBERS = 100_000;
/** Reported raw text is cut to this many characters; a report must not echo a whole paragraph. */
export const MAX_RAW_LENGTH = 64;

/**
 * Turns an uploaded .txt/.csv into a validated contact list. Pure: no I/O, no clock, no store.
 *
 * Whole-file problems throw ImportError (see import.errors.ts); problems with single lines are
 * reported in the result so the agent can fix them and the rest can still be imported.
 * The checks run cheapest-first: size, then name, then bytes, then text, then numbers.
 */
export function importNumbers(bytes: Uint8Array, filename: string, options: ImportOptions = {}): ImportResult {
  const { doNotCall } = options;
  // An unset environment variable often arrives as '' — treat it as "no default country".
  const defaultRegion = options.defaultRegion || undefined;
  const maxBytes = limit(options.maxBytes, DEFAULT_MAX_BYTES, 'maxBytes');
  const maxNumbers = limit(options.maxNumbers, DEFAULT_MAX_NUMBERS, 'maxNumbers');
  if (defaultRegion !== undefined && !isSupportedCountry(defaultRegion)) {
    throw new ImportError('INVALID_OPTIONS', `Unknown default country "${String(defaultRegion)}"`, { defaultRegion });
  }
  const name = displayName(filename);

  if (bytes.length > maxBytes) throw fileTooLarge(filename, bytes.length, maxBytes);
  if (bytes.length === 0) throw empty(filename, `${name} is empty.`);
  assertSupportedExtension(filename);
  // UTF-16 is full of NUL bytes: skip the binary check so decodeUtf8 can name the real problem.
  if (!hasUtf16Bom(bytes)) assertNotBinary(bytes, filename);
  const text = decodeUtf8(bytes, filename);

  const format = detectFormat(filename, text);
  let candidates: Candidate[];
  let column: CsvColumn | undefined;
  if (format === 'csv') {
    ({ candidates, column } = readCsv(text, filename));
  } else {
    candidates = readTxt(text);
  }

  if (candidates.length === 0) {
    const why = column?.header ? `has a header row ("${column.header}") but no numbers` : 'has no phone numbers in it';
    throw empty(filename, `${name} ${why}.`);
  }
  if (candidates.length > maxNumbers) {
    throw new ImportError(
      'TOO_MANY_NUMBERS',
      `${name} has ${formatCount(candidates.length)} numbers; the limit is ${formatCount(maxNumbers)} per file. Split it into smaller files.`,
      { filename, count: candidates.length, maxNumbers },
    );
  }

  const result: ImportResult = {
    format,
    ...(column ? { column } : {}),
    valid: [],
    invalid: [],
    duplicates: [],
    doNotCall: [],
    totalLines: countLines(text),
    candidates: candidates.length,
  };
  const firstSeen = new Map<string, number>(); // e164 → line of the copy kept in `valid`

  for (const { line, raw: fullRaw } of candidates) {
    const raw = truncate(fullRaw);
    const n = normalizePhone(fullRaw, defaultRegion);
    if (!n.ok) {
      result.invalid.push({ line, raw, code: n.code, reason: n.reason });
      continue;
    }
    // Do-not-call is checked before duplicates: every line holding a DNC number is reported as
    // such (a compliance question), rather than some of them hiding among "duplicates".
    if (doNotCall?.has(n.e164)) {
      result.doNotCall.push({ line, raw, e164: n.e164 });
      continue;
    }
    const firstLine = firstSeen.get(n.e164);
    if (firstLine !== undefined) {
      result.duplicates.push({ line, raw, e164: n.e164, firstLine });
      continue;
    }
    firstSeen.set(n.e164, line);
    result.valid.push({ line, raw, e164: n.e164 });
  }
  return result;
}

function limit(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new ImportError('INVALID_OPTIONS', `${option} must be a positive integer, got ${value}`, { [option]: value });
  }
  return value;
}

function empty(filename: string, message: string): ImportError {
  return new ImportError('EMPTY_FILE', message, { filename });
}

function truncate(raw: string): string {
  if (raw.length <= MAX_RAW_LENGTH) return raw;
  // Array.from splits by code point so an emoji is never cut in half.
  const chars = Array.from(raw);
  return chars.length <= MAX_RAW_LENGTH ? raw : `${chars.slice(0, MAX_RAW_LENGTH - 1).join('')}…`;
}
