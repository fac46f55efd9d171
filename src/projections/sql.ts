import type { ReadModelQueryable } from './read-model-database';

/**
 * Batch writing for the read models. A projection's handler turns each event into changes (pure);
 * the projection folds a whole batch's changes in memory — per row, in event order, with the
 * same position guard each event's own upsert had — and writes each table with one multi-row
 * statement whose rows travel as ONE bound JSON parameter. The row count of a batch changes the
 * parameter, not the statement, and nothing is inlined.
 */

/**
 * One statement made of several independent writes (data-modifying CTEs): a batch's writes to a
 * projection's tables cost one round trip. The parts must not touch the same row twice (PostgreSQL
 * runs them on one snapshot): here they write different tables, or disjoint rows of one.
 */
export class Writes {
  private readonly parts: string[] = [];
  private readonly params: unknown[] = [];

  /** A JSON rows parameter, `$n::text::jsonb`. */
  rows(rows: readonly object[]): string {
    this.params.push(rowsParam(rows));
    return `$${this.params.length}::text::jsonb`;
  }

  add(sql: string): void {
    this.parts.push(sql);
  }

  async run(tx: ReadModelQueryable): Promise<void> {
    if (this.parts.length === 0) return;
    const sql = this.parts.length === 1 ? this.parts[0] : `WITH ${this.parts.map((p, i) => `w${i} AS (${p})`).join(',\n')}\nSELECT 1`;
    await tx.query(sql, this.params);
  }
}

/** A value as written to a column: text, number, boolean, NULL. `undefined` means "not known". */
export type Value = string | number | boolean | null | undefined;

/** A column as declared in the projection's SQL file. */
export interface Column {
  type: string;
  /** The DEFAULT expression, or undefined (NULL). */
  default?: string;
}

/**
 * The columns of `table` as declared in `schemaSql` (CREATE TABLE ... one column per line). The
 * SQL file stays the one place a column's type and default are written down.
 */
export function columnsOf(schemaSql: string, table: string): Record<string, Column> {
  const body = new RegExp(`CREATE TABLE IF NOT EXISTS ${table} \\(\\n([\\s\\S]*?)\\n\\);`).exec(schemaSql)?.[1];
  if (!body) throw new Error(`no CREATE TABLE ${table} in the projection's schema file`);
  const columns: Record<string, Column> = {};
  for (const line of body.split('\n')) {
    const m = /^\s+([a-z_0-9]+)\s+([a-z]+)\b(.*?),?$/.exec(line);
    if (!m || m[1] === 'PRIMARY') continue;
    const def = /DEFAULT (.+)$/.exec(m[3].trim())?.[1];
    columns[m[1]] = { type: m[2], ...(def !== undefined ? { default: def } : {}) };
  }
  return columns;
}

/** `(j->>'col')` cast to the column's type. Numbers go through numeric, as a literal `1.5::int` would. */
export function fromJson(json: string, col: string, type: string): string {
  const v = `(${json}->>'${col}')`;
  if (type === 'text') return v;
  if (type === 'int' || type === 'bigint') return `${v}::numeric::${type}`;
  return `${v}::${type}`;
}

/** Value → JSON-ready value; a number that is not finite cannot be written to a read model. */
export function jsonValue(value: Value | bigint): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`cannot write ${value} to a read model`);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** The rows as the one text parameter the statements read with jsonb_array_elements / jsonb_to_recordset. */
export const rowsParam = (rows: readonly object[]): string =>
  JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : typeof v === 'number' ? jsonValue(v) : v));

/**
 * How a column folds several changes of one row:
 * - `concat`: appended (`t.digits || new`), e.g. DTMF digits;
 * - `add`: summed (`t.n + new`), counters; numeric columns are summed by PostgreSQL, exactly;
 * - `first`: the first non-NULL value is kept (`coalesce(t.x, new)`).
 * Any other column: the latest value wins.
 */
export type Merge = 'concat' | 'add' | 'first';

/** A table of rows keyed by one text column, written by position-guarded upserts. */
export interface RowTable {
  table: string;
  key: string;
  columns: Record<string, Column>;
  merge?: Record<string, Merge>;
}

export function rowTable(schemaSql: string, table: string, key: string, merge: Record<string, Merge> = {}): RowTable {
  return { table, key, columns: columnsOf(schemaSql, table), merge };
}

/** One event's change to one row: columns it knows (`undefined` = leave alone), at its position. */
export interface RowChange {
  key: string;
  at: bigint;
  set: Record<string, Value>;
}

interface PendingRow {
  key: string;
  at: bigint;
  /** Folded values; for a numeric `add` column, the list of addends. */
  values: Map<string, Value | string[]>;
}

/**
 * Applies `changes` (in event order) to `spec.table` exactly as one guarded upsert per change
 * would: a change applies only if its position is after the row's `last_position`. The stored
 * positions are read first, so a batch that overlaps what a row already reflects skips precisely
 * the events the row has seen. Then one INSERT for new rows and one UPDATE for existing ones, in
 * one statement.
 */
export async function writeRows(tx: ReadModelQueryable, spec: RowTable, changes: readonly RowChange[]): Promise<void> {
  if (changes.length === 0) return;
  const stored = await storedPositions(tx, spec.table, spec.key, changes.map((c) => c.key));
  const writes = new Writes();
  foldRows(writes, spec, stored, changes);
  await writes.run(tx);
}

/** writeRows with the stored positions already known (`stored`: key → last_position of existing rows). */
export function foldRows(writes: Writes, spec: RowTable, stored: ReadonlyMap<string, bigint>, changes: readonly RowChange[]): void {
  const pending = new Map<string, PendingRow>();
  for (const change of changes) {
    const seen = stored.get(change.key);
    if (seen !== undefined && change.at <= seen) continue;
    let row = pending.get(change.key);
    if (!row) pending.set(change.key, (row = { key: change.key, at: change.at, values: new Map() }));
    row.at = change.at;
    for (const col in change.set) {
      const value = change.set[col];
      if (value !== undefined) foldValue(spec, row.values, col, value);
    }
  }
  const fresh: PendingRow[] = [];
  const existing: PendingRow[] = [];
  for (const row of pending.values()) (stored.has(row.key) ? existing : fresh).push(row);
  if (fresh.length > 0) writes.add(insertRows(writes, spec, fresh));
  if (existing.length > 0) writes.add(updateRows(writes, spec, existing));
}

function foldValue(spec: RowTable, values: Map<string, Value | string[]>, col: string, value: Value): void {
  const type = spec.columns[col]?.type;
  if (!type) throw new Error(`${spec.table} has no column ${col}`);
  const merge = spec.merge?.[col];
  const before = values.get(col);
  if (merge === 'add' && type === 'numeric') {
    const list = (before as string[] | undefined) ?? [];
    list.push(value === null ? (null as unknown as string) : String(jsonValue(value)));
    values.set(col, list);
  } else if (merge === 'add' && before !== undefined) {
    values.set(col, before === null || value === null ? null : (before as number) + Number(value));
  } else if (merge === 'concat' && before !== undefined) {
    values.set(col, before === null || value === null ? null : String(before) + String(value));
  } else if (merge === 'first' && before !== undefined && before !== null) {
    // keep the first non-NULL value
  } else {
    values.set(col, value);
  }
}

/** key → last_position of the rows of `keys` that exist. */
export async function storedPositions(tx: ReadModelQueryable, table: string, key: string, keys: readonly string[]): Promise<Map<string, bigint>> {
  const rows = await tx.query<{ k: string; p: string }>(
    `SELECT ${key} AS k, last_position::text AS p FROM ${table} WHERE ${key} = ANY($1::text[])`,
    [[...new Set(keys)]],
  );
  return new Map(rows.map((r) => [r.k, BigInt(r.p)]));
}

const toJson = (row: PendingRow, key: string): Record<string, unknown> => {
  const out: Record<string, unknown> = { [key]: row.key, last_position: row.at.toString() };
  for (const [col, v] of row.values) out[col] = Array.isArray(v) ? v : jsonValue(v);
  return out;
};

/** The value a JSON row brings for `col`; a numeric `add` column brings the exact sum of its addends. */
function incoming(spec: RowTable, col: string): string {
  const type = spec.columns[col].type;
  if (spec.merge?.[col] === 'add' && type === 'numeric') {
    return `(SELECT sum(x::numeric) FROM jsonb_array_elements_text(j->'${col}') x)`;
  }
  return fromJson('j', col, type);
}

function touchedColumns(spec: RowTable, rows: readonly PendingRow[]): string[] {
  const cols = new Set<string>();
  for (const r of rows) for (const col of r.values.keys()) cols.add(col);
  return Object.keys(spec.columns).filter((c) => cols.has(c));
}

/** New rows: every column the batch knows, the column's default where a row does not know it. */
function insertRows(writes: Writes, spec: RowTable, rows: PendingRow[]): string {
  const cols = touchedColumns(spec, rows);
  const exprs = cols.map((col) => {
    const all = rows.every((r) => r.values.has(col));
    return all ? incoming(spec, col) : `CASE WHEN j ? '${col}' THEN ${incoming(spec, col)} ELSE ${spec.columns[col].default ?? 'NULL'} END`;
  });
  return (
    `INSERT INTO ${spec.table} (${spec.key}, ${cols.map((c) => `${c}, `).join('')}last_position)\n` +
    `SELECT j->>'${spec.key}', ${exprs.map((e) => `${e}, `).join('')}(j->>'last_position')::bigint\n` +
    `FROM jsonb_array_elements(${writes.rows(rows.map((r) => toJson(r, spec.key)))}) j`
  );
}

/** Existing rows: each known column merged into the stored value, guarded by position. */
function updateRows(writes: Writes, spec: RowTable, rows: PendingRow[]): string {
  const sets = touchedColumns(spec, rows).map((col) => {
    const v = incoming(spec, col);
    const merged =
      spec.merge?.[col] === 'concat' ? `t.${col} || ${v}` :
      spec.merge?.[col] === 'add' ? `t.${col} + ${v}` :
      spec.merge?.[col] === 'first' ? `coalesce(t.${col}, ${v})` : v;
    return `${col} = CASE WHEN j ? '${col}' THEN ${merged} ELSE t.${col} END`;
  });
  return (
    `UPDATE ${spec.table} AS t SET ${sets.map((s) => `${s}, `).join('')}last_position = (j->>'last_position')::bigint\n` +
    `FROM jsonb_array_elements(${writes.rows(rows.map((r) => toJson(r, spec.key)))}) j\n` +
    `WHERE t.${spec.key} = j->>'${spec.key}' AND t.last_position < (j->>'last_position')::bigint`
  );
}

/**
 * Inserts or replaces whole rows (working tables whose every column the fold computed), typed by
 * the table's declared columns.
 */
export function putRows(
  writes: Writes,
  table: string,
  columns: Record<string, Column>,
  key: readonly string[],
  rows: readonly object[],
  onConflict: 'replace' | 'nothing' = 'replace',
): void {
  if (rows.length === 0) return;
  const cols = Object.keys(columns);
  const record = cols.map((c) => `${c} ${columns[c].type}`).join(', ');
  const rest = cols.filter((c) => !key.includes(c));
  const conflict =
    onConflict === 'nothing' ? 'DO NOTHING' : `DO UPDATE SET ${rest.map((c) => `${c} = excluded.${c}`).join(', ')}`;
  writes.add(
    `INSERT INTO ${table} AS t (${cols.join(', ')})\n` +
      `SELECT ${cols.join(', ')} FROM jsonb_to_recordset(${writes.rows(rows)}) AS r(${record})\n` +
      `ON CONFLICT (${key.join(', ')}) ${conflict}`,
  );
}
