/**
 * RFC 4180 CSV (the repo has a CSV parser but no writer; quoting is all a writer needs).
 * Cells that a spreadsheet would run as a formula (`=…`, `@…`, `-2+3`) get a leading apostrophe:
 * agent names and reasons are typed by people, and an audit export must not execute them.
 * Phone numbers (`+14155550123`) and plain numbers are left exactly as they are.
 */
export function csvRow(cells: readonly (string | number | null | undefined)[]): string {
  return cells.map((cell) => csvCell(cell === null || cell === undefined ? '' : String(cell))).join(',') + '\r\n';
}

const FORMULA_START = /^[=@\t\r]|^[+-](?!\d+(\.\d+)?$)/;

function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
