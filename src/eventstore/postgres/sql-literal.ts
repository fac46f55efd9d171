/**
 * Inlines a string as a SQL literal for simple-protocol queries (which take no parameters).
 * Same rules as libpq's PQescapeLiteral / pg's escapeLiteral: quotes doubled, and if there is a
 * backslash the E'' form with backslashes doubled, which is correct whatever
 * standard_conforming_strings says. Regex-based because payloads can be tens of kilobytes.
 */
export function sqlLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('SQL text values cannot contain NUL characters');
  const quoted = value.replace(/'/g, "''");
  if (!value.includes('\\')) return `'${quoted}'`;
  return ` E'${quoted.replace(/\\/g, '\\\\')}'`;
}

/**
 * A PostgreSQL array literal (`{…}`, the text a `::int[]` / `::text[]` cast reads) of numbers or
 * strings. Strings are always double-quoted with `"` and `\` backslash-escaped, so commas, braces,
 * spaces or the word NULL inside them stay plain text. The result is an ordinary string: it goes
 * as a bind parameter, or through sqlLiteral when inlined.
 */
export function sqlArrayLiteral(values: readonly (string | number)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) out += ',';
    if (typeof value === 'number') out += String(value);
    else out += `"${value.replace(/["\\]/g, '\\$&')}"`;
  }
  return `${out}}`;
}
