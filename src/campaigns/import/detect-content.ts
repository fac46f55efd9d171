import { ImportError, displayName } from './import.errors';
import type { ImportFormat } from './import.types';

/**
 * Extensions we know are not plain text. Refused by name first so the agent gets "save it as
 * CSV" instead of a vague "this looks binary" (an .xlsx is a zip full of NUL bytes).
 */
const KNOWN_UNSUPPORTED: Readonly<Record<string, string>> = {
  xlsx: 'an Excel workbook',
  xlsm: 'an Excel workbook',
  xls: 'an Excel workbook',
  ods: 'a spreadsheet',
  numbers: 'a Numbers spreadsheet',
  pdf: 'a PDF',
  doc: 'a Word document',
  docx: 'a Word document',
  rtf: 'a rich-text document',
  zip: 'a zip archive',
  gz: 'a compressed archive',
  json: 'a JSON file',
  xml: 'an XML file',
  html: 'a web page',
  htm: 'a web page',
};

const TXT_EXTENSIONS = new Set(['txt', 'text', 'lst', 'list']);
const CSV_EXTENSIONS = new Set(['csv', 'tsv']);

/** Header names that mark a one-column CSV even when the extension gave no hint. */
export const PHONE_HEADER_NAMES: readonly string[] = [
  'phone',
  'phonenumber',
  'number',
  'msisdn',
  'mobile',
  'mobilenumber',
  'cell',
  'tel',
  'telephone',
];

/** "Phone Number", "phone_number", "PHONE-NUMBER" → "phonenumber". */
export function normalizeHeader(cell: string): string {
  return cell.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function extensionOf(filename: string): string {
  const base = displayName(filename);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** Refuses formats we recognise by name but cannot read. Runs before any byte is decoded. */
export function assertSupportedExtension(filename: string): void {
  const ext = extensionOf(filename);
  const kind = KNOWN_UNSUPPORTED[ext];
  if (kind !== undefined) {
    throw new ImportError(
      'UNSUPPORTED_FORMAT',
      `${displayName(filename)} is ${kind}. Upload a .txt file with one number per line, or save it as CSV (UTF-8).`,
      { filename, extension: ext },
    );
  }
}

/** Only this much is inspected: binary formats give themselves away in their first bytes. */
const SNIFF_BYTES = 64 * 1024;
/** Text exports never contain control characters; a few per cent means it is not text. */
const MAX_CONTROL_RATIO = 0.05;

/**
 * Refuses files that are not text. NUL never appears in UTF-8 text; other C0 controls (except
 * tab, newline, carriage return, form feed) are counted, tolerating the odd stray one.
 * A trailing Ctrl-Z (old DOS end-of-file marker) is ignored.
 */
export function assertNotBinary(bytes: Uint8Array, filename: string): void {
  const end = Math.min(bytes.length, SNIFF_BYTES);
  let controls = 0;
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!;
    if (b === 0) throw binary(filename, 'it contains NUL bytes');
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) || b === 0x7f) {
      if (b === 0x1a && i === bytes.length - 1) continue;
      controls++;
    }
  }
  if (end > 0 && controls / end > MAX_CONTROL_RATIO) {
    throw binary(filename, `${controls} of its first ${end} bytes are control characters`);
  }
}

function binary(filename: string, why: string): ImportError {
  return new ImportError(
    'BINARY_CONTENT',
    `${displayName(filename)} is not a text file (${why}). Upload a .txt or .csv file.`,
    { filename },
  );
}

/**
 * Picks the reader. The extension wins when it is one we know; otherwise the first meaningful
 * line decides: delimiters or a phone-ish header mean CSV, markup means something we cannot read,
 * anything else is treated as one number per line.
 */
export function detectFormat(filename: string, text: string): ImportFormat {
  const ext = extensionOf(filename);
  if (TXT_EXTENSIONS.has(ext)) return 'txt';
  if (CSV_EXTENSIONS.has(ext)) return 'csv';

  const first = firstMeaningfulLine(text);
  if (first === undefined) return 'txt'; // nothing to read either way; EMPTY_FILE follows
  if (/^[<{[]/.test(first)) {
    throw new ImportError(
      'UNSUPPORTED_FORMAT',
      `${displayName(filename)} looks like a web page or data export, not a list of numbers. Upload a .txt file with one number per line, or a CSV file.`,
      { filename, extension: ext },
    );
  }
  if (/[,;\t]/.test(first)) return 'csv';
  if (PHONE_HEADER_NAMES.includes(normalizeHeader(first))) return 'csv';
  return 'txt';
}

function firstMeaningfulLine(text: string): string | undefined {
  // Only the head of the file is needed; avoid splitting 5 MB to read one line.
  const lines = text.slice(0, 64 * 1024).split(/\r\n|\r|\n/);
  for (const line of lines) {
    const t = line.trim();
    if (t !== '' && !t.startsWith('#')) return t;
  }
  return undefined;
}
