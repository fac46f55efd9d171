import { stringify } from 'csv-stringify/sync';

/** What a CSV export writes: null and undefined become empty fields. */
export type CsvCell = string | number | boolean | null | undefined;

/** One RFC 4180 record: fields quoted when they hold a comma, a quote, CR or LF; CRLF at the end. */
export function csvRecord(cells: readonly CsvCell[]): string {
  return stringify([cells.map((cell) => (cell === null || cell === undefined ? '' : String(cell)))], {
    record_delimiter: 'windows',
    // Quote a lone CR or LF too, not only the CRLF delimiter: readers split records on either.
    quoted_match: /[\r\n]/,
  });
}

const FORMULA_START = /^[=@\t\r]|^[+-](?!\d+(\.\d+)?$)/;

/**
 * Text a spreadsheet would run as a formula (`=…`, `@…`, `+1 promo`, `-2+3`) gets a leading
 * apostrophe: names and reasons are typed by people, and an export must not execute them. Phone
 * numbers (`+14155550123`) and plain numbers (`-1.5`) are left exactly as they are.
 */
export function spreadsheetSafe<T extends CsvCell>(cell: T): T | string {
  return typeof cell === 'string' && FORMULA_START.test(cell) ? `'${cell}` : cell;
}
