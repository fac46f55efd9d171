import type { PGlite } from '@electric-sql/pglite';
import { sqlArrayLiteral, sqlLiteral } from './sql-literal';

/**
 * Statements PREPAREd once on one PGlite session, then EXECUTEd with their parameters inlined as
 * literals: one simple-protocol message, where PGlite's query() (the extended protocol with an
 * unnamed statement) parses and plans the statement anew every time. Used by the event store's
 * named statements and the read models' live batches.
 */
export class PglitePreparedStatements {
  /** Names PREPAREd in this session (a PREPARE outlives a rolled-back transaction). */
  private readonly names = new Set<string>();

  constructor(private readonly db: PGlite) {}

  /** `EXECUTE name(literals)`, `text` PREPAREd under `name` first if this session has not yet. */
  async executeText(name: string, text: string, literals: readonly string[]): Promise<string> {
    if (!this.names.has(name)) {
      await this.db.exec(`PREPARE ${name} AS ${text}`);
      this.names.add(name);
    }
    return `EXECUTE ${name}(${literals.join(', ')})`;
  }
}

/**
 * A parameter as the quoted literal of what node-postgres would bind (numbers and booleans as
 * their text, arrays of strings or numbers as `{…}`), which PostgreSQL reads as the prepared
 * parameter's type; null for a value that has no such text (an object, a non-finite number) or
 * cannot be quoted (a NUL character, which sqlLiteral refuses).
 */
export function bindLiteral(value: unknown): string | null {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return value.includes('\0') ? null : sqlLiteral(value);
  if (typeof value === 'boolean' || typeof value === 'bigint' || (typeof value === 'number' && Number.isFinite(value))) return sqlLiteral(String(value));
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) {
    return bindLiteral(sqlArrayLiteral(value as (string | number)[]));
  }
  return null;
}
