/**
 * RFC 4180 CSV, written here because no CSV writer is installed (csv-parse only reads): fields
 * joined by commas, records ended by CRLF, a field quoted when it holds a comma, a quote, CR or LF,
 * its quotes doubled. null and undefined are empty fields.
 */
export type CsvCell = string | number | boolean | null | undefined;

export function csvRecord(cells: readonly CsvCell[]): string {
  return cells.map(csvField).join(',') + '\r\n';
}

export function csvField(cell: CsvCell): string {
  const value = cell === null || cell === undefined ? '' : String(cell);
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Free text people typed (a campaign's name, a cancel reason) that a spreadsheet would run as a
 * formula (=, +, -, @, tab, CR first) gets a leading apostrophe. Ids, numbers and times are
 * written as they are: they come from Siren, and a caller id's leading + must survive.
 */
export function spreadsheetSafe(text: string | null | undefined): string | null | undefined {
  return typeof text === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
