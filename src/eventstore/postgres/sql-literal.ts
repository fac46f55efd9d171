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
