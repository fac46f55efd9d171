import { sqlLiteral } from '../eventstore/postgres/sql-literal';
import type { Statement } from './projection';

/** A typed parameter: the cast keeps PostgreSQL's parameter inference out of the guessing game. */
export interface Param {
  type: 'text' | 'int' | 'bigint' | 'numeric' | 'timestamptz' | 'boolean';
  value: unknown;
}

export const text = (value: string | undefined | null): Param => ({ type: 'text', value });
export const int = (value: number | undefined | null): Param => ({ type: 'int', value });
export const numeric = (value: number | undefined | null): Param => ({ type: 'numeric', value });
export const timestamptz = (value: string | undefined | null): Param => ({ type: 'timestamptz', value });
export const bool = (value: boolean): Param => ({ type: 'boolean', value });
/** Positions travel as text: both drivers accept it for bigint, neither has to serialize a BigInt. */
export const position = (value: bigint): Param => ({ type: 'bigint', value: value.toString() });

/** Collects parameters and hands out `$n::type` placeholders. */
export class Params {
  readonly values: unknown[] = [];
  add(p: Param): string {
    this.values.push(p.value ?? null);
    return `$${this.values.length}::${p.type}`;
  }
}

export interface UpsertSpec {
  table: string;
  key: Record<string, Param>;
  /** Columns to write; `undefined` values are left out, so an event never blanks what it does not know. */
  set: Record<string, Param | undefined>;
  at: bigint;
  /** Column → expression used on conflict instead of `excluded.<col>` (`t` is the stored row). */
  merge?: Record<string, string>;
  /** Extra condition (over `t` and `excluded`) on top of the position guard. */
  alsoWhen?: string;
  returning?: string;
}

/**
 * INSERT ... ON CONFLICT (key) DO UPDATE ... WHERE excluded.last_position > t.last_position:
 * the idempotent upsert every projection write is made of. Replaying an event whose position the
 * row already reflects matches no row, so it changes nothing (and RETURNING returns nothing).
 */
export function upsert(spec: UpsertSpec, params = new Params()): Statement {
  const cols: string[] = [];
  const values: string[] = [];
  for (const [col, p] of Object.entries(spec.key)) {
    cols.push(col);
    values.push(params.add(p));
  }
  const updates: string[] = [];
  for (const [col, p] of Object.entries(spec.set)) {
    if (p === undefined || p.value === undefined) continue;
    cols.push(col);
    values.push(params.add(p));
    updates.push(`${col} = ${spec.merge?.[col] ?? `excluded.${col}`}`);
  }
  cols.push('last_position');
  values.push(params.add(position(spec.at)));
  updates.push('last_position = excluded.last_position');
  const guard = ['excluded.last_position > t.last_position', spec.alsoWhen].filter(Boolean).join(' AND ');
  const sql =
    `INSERT INTO ${spec.table} AS t (${cols.join(', ')}) VALUES (${values.join(', ')})\n` +
    `ON CONFLICT (${Object.keys(spec.key).join(', ')}) DO UPDATE SET ${updates.join(', ')}\n` +
    `WHERE ${guard}` +
    (spec.returning ? `\nRETURNING ${spec.returning}` : '');
  return { sql, params: params.values };
}

/**
 * The statement with its parameters inlined as literals, so a whole batch can go to the server as
 * one simple-protocol script: one round trip per batch instead of one per statement (measured
 * ~3x faster on PostgreSQL, see the README). Values are only ever text, numbers, booleans or
 * NULL, escaped like libpq's PQescapeLiteral; placeholders are replaced in one pass, so a value
 * that happens to contain `$1` is never re-substituted.
 */
export function inlineStatement({ sql, params }: Statement): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index >= params.length) throw new Error(`statement has no parameter $${n}`);
    return literal(params[index]);
  });
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return sqlLiteral(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} to a read model`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  throw new Error(`cannot inline a ${typeof value} parameter`);
}
