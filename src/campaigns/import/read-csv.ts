import { parse } from 'csv-parse/sync';
import { ImportError, displayName } from './import.errors';
import { PHONE_HEADER_NAMES, normalizeHeader } from './detect-content';
import type { Candidate, CsvColumn } from './import.types';

export interface CsvRead {
  candidates: Candidate[];
  /** Undefined when the file had no rows at all. */
  column: CsvColumn | undefined;
}

const DELIMITERS = [',', ';', '\t'] as const;

/**
 * Reads the phone column of a CSV. Line endings are unified to LF first: csv-parse's own line
 * counting is unreliable with CRLF/mixed endings, and we report lines by counting the newlines
 * in each record's raw text ourselves (a quoted field may span lines).
 */
export function readCsv(text: string, filename: string): CsvRead {
  const normalized = text.replace(/\r\n?/g, '\n');
  const delimiter = detectDelimiter(normalized);
  const candidates: Candidate[] = [];
  let column: CsvColumn | undefined;
  let nextLine = 1; // physical line on which the next record starts

  const onRecord = ({ record, raw }: { record: string[]; raw: string }): null => {
    const line = nextLine;
    nextLine += countNewlines(raw);

    // Skipped here rather than via csv-parse options so that every line still passes through
    // this counter. A comment must start the line; '#' inside a field is data ("Apt #4").
    if (record.every((cell) => cell === '')) return null;
    if (raw.trimStart().startsWith('#')) return null;

    if (column === undefined) {
      column = chooseColumn(record, delimiter);
      if (column.header !== null) return null; // the header row is not a number
    }
    candidates.push({ line, raw: (record[column.index] ?? '').trim() });
    return null; // nothing accumulates inside csv-parse; we keep only what we need
  };

  try {
    parse(normalized, {
      delimiter,
      record_delimiter: '\n',
      relax_column_count: true, // rows may be ragged; we only need one column
      trim: true,
      raw: true,
      on_record: onRecord as never,
    });
  } catch (err) {
    throw malformed(err, filename, nextLine);
  }
  return { candidates, column };
}

/**
 * Column choice: a header naming a phone column (in PHONE_HEADER_NAMES priority order), else the
 * first column. If the first row's first cell already looks like a number, the file has no header
 * and that row is data — otherwise we would silently drop the first contact.
 */
function chooseColumn(firstRow: string[], delimiter: string): CsvColumn {
  const names = firstRow.map(normalizeHeader);
  for (const wanted of PHONE_HEADER_NAMES) {
    const index = names.indexOf(wanted);
    if (index >= 0) return { index, header: firstRow[index]!, delimiter };
  }
  if (looksLikePhoneNumber(firstRow[0] ?? '')) return { index: 0, header: null, delimiter };
  return { index: 0, header: firstRow[0] ?? '', delimiter };
}

function looksLikePhoneNumber(cell: string): boolean {
  return /^\+?[\d\s().\-/]+$/.test(cell) && (cell.match(/\d/g)?.length ?? 0) >= 7;
}

/**
 * Picks the delimiter that occurs most often (outside quotes) on the first meaningful line.
 * European Excel writes ';', "Text (tab delimited)" writes tabs. Ties and none fall back to ','.
 */
export function detectDelimiter(text: string): string {
  const head = firstMeaningfulLine(text);
  let best: string = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = countOutsideQuotes(head, d);
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

function firstMeaningfulLine(text: string): string {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    const t = line.trim();
    if (t !== '' && !t.startsWith('#')) return line;
    start = end + 1;
  }
  return '';
}

function countOutsideQuotes(line: string, ch: string): number {
  let inQuotes = false;
  let count = 0;
  for (const c of line) {
    if (c === '"') inQuotes = !inQuotes;
    else if (c === ch && !inQuotes) count++;
  }
  return count;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** csv-parse codes → wording an agent can act on. Unknown codes keep csv-parse's own message. */
const CSV_PROBLEMS: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quote (") is opened but never closed',
  CSV_INVALID_CLOSING_QUOTE: 'a quoted value has extra text after its closing quote (")',
  INVALID_OPENING_QUOTE: 'a quote (") appears in the middle of a value',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a quoted value has extra text after its closing quote (")',
};

function malformed(err: unknown, filename: string, recordStartLine: number): ImportError {
  const csvCode = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'UNKNOWN';
  const reportedLine = (err as { lines?: unknown })?.lines;
  // For an unclosed quote csv-parse reports the end of the file; the record that failed is the one
  // that started right after the last good record, which is where the agent must look.
  const line =
    csvCode === 'CSV_QUOTE_NOT_CLOSED' || typeof reportedLine !== 'number' ? recordStartLine : reportedLine;
  const problem = CSV_PROBLEMS[csvCode] ?? (err instanceof Error ? err.message : String(err));
  return new ImportError(
    'MALFORMED_CSV',
    `${displayName(filename)} could not be read as CSV: on line ${line}, ${problem}. Fix that line or save the file again from your spreadsheet.`,
    { filename, line, csvCode },
  );
}
