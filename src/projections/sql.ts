import type { ReadModelQueryable } from './read-model-database';
import type { FoundRow, Read, WritePlan } from './write-plan';

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

  /** A JSON rows parameter, `$n::text::jsonb`: for statements that ask a row which keys it has (`j ? 'col'`). */
  rows(rows: readonly object[]): string {
    this.params.push(rowsParam(rows));
    return `$${this.params.length}::text::jsonb`;
  }

  /**
   * A JSON rows parameter for json_to_recordset, `$n::text::json`. Read once, front to back, a json
   * value costs PostgreSQL about half of what building a jsonb does. `ready`: the caller built the
   * rows JSON-ready (no bigint, every number finite), so they are not checked again.
   */
  records(rows: readonly object[], ready = false): string {
    this.params.push(ready ? JSON.stringify(rows) : rowsParam(rows));
    return `$${this.params.length}::text::json`;
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

/**
 * Value → JSON-ready value; a number that is not finite cannot be written to a read model (with
 * `strict` false it is let through, for a caller that checks later).
 */
export function jsonValue(value: Value | bigint, strict = true): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (strict && typeof value === 'number' && !Number.isFinite(value)) throw new Error(`cannot write ${value} to a read model`);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * The rows as the one text parameter the statements read with jsonb_array_elements / json_to_recordset:
 * bigints as text, and a number that is not finite refused. The values are checked in one pass and
 * the rows serialized by JSON.stringify without a replacer: a replacer is a call back into
 * JavaScript for every key of every row, which cost more than the serializing itself.
 */
export const rowsParam = (rows: readonly object[]): string => JSON.stringify(jsonReady(rows));

/** `value` with every bigint as text (copied only where one is found); throws on a number that is not finite. */
function jsonReady<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const ready = typeof v === 'bigint' || typeof v === 'number' || typeof v === 'object' ? jsonReadyValue(v) : v;
      if (ready !== v) (out ??= value.slice())[i] = ready;
    }
    return (out ?? value) as T;
  }
  let out: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const k in record) {
    const v = record[k];
    const ready = typeof v === 'bigint' || typeof v === 'number' || typeof v === 'object' ? jsonReadyValue(v) : v;
    if (ready !== v) (out ??= { ...record })[k] = ready;
  }
  return (out ?? value) as T;
}

function jsonReadyValue(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return jsonValue(v);
  return jsonReady(v);
}

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
  /**
   * The row as it is sent: the key, the folded values (a numeric `add` column as its list of
   * addends), then last_position. Folded straight into the object that is serialized, so a row
   * costs no copy.
   */
  json: Record<string, string | number | boolean | null | string[]>;
  /** A number that is not finite was folded in: the row is checked once complete (a later value may replace it). */
  suspect: boolean;
}

/** Rows of one kind (new or stored) and, per column, how many of them know it. */
interface PendingRows {
  rows: PendingRow[];
  known: Map<string, number>;
}

/**
 * Applies `changes` (in event order) to `spec.table` exactly as one guarded upsert per change
 * would: a change applies only if its position is after the row's `last_position`. The stored
 * positions are read first, so a batch that overlaps what a row already reflects skips precisely
 * the events the row has seen. Then one INSERT for new rows and one UPDATE for existing ones.
 */
export function planRows(spec: RowTable, changes: readonly RowChange[]): WritePlan {
  if (changes.length === 0) return { reads: [], fold: () => undefined };
  return {
    reads: [storedPositions(spec.table, spec.key, changes.map((c) => c.key))],
    fold: ([found], writes) => foldRows(writes, spec, positionsFound(found), changes),
  };
}

/** planRows' fold, with the stored positions known (`stored`: key → last_position of existing rows). */
export function foldRows(writes: Writes, spec: RowTable, stored: ReadonlyMap<string, bigint>, changes: readonly RowChange[]): void {
  const pending = new Map<string, PendingRow>();
  const fresh: PendingRows = { rows: [], known: new Map() };
  const existing: PendingRows = { rows: [], known: new Map() };
  for (const change of changes) {
    const seen = stored.get(change.key);
    if (seen !== undefined && change.at <= seen) continue;
    let row = pending.get(change.key);
    const kind = seen === undefined ? fresh : existing;
    if (!row) {
      pending.set(change.key, (row = { key: change.key, at: change.at, json: { [spec.key]: change.key }, suspect: false }));
      kind.rows.push(row);
    }
    row.at = change.at;
    for (const col in change.set) {
      const value = change.set[col];
      if (value !== undefined) foldValue(spec, row, col, value, kind.known);
    }
  }
  if (fresh.rows.length > 0) writes.add(insertRows(writes, spec, complete(fresh)));
  if (existing.rows.length > 0) writes.add(updateRows(writes, spec, complete(existing)));
}

function foldValue(spec: RowTable, row: PendingRow, col: string, value: Value, known: Map<string, number>): void {
  const type = spec.columns[col]?.type;
  if (!type || col === spec.key || col === 'last_position') throw new Error(`${spec.table} has no column ${col} a change may set`);
  const merge = spec.merge?.[col];
  const values = row.json;
  const before = values[col];
  if (before === undefined) known.set(col, (known.get(col) ?? 0) + 1);
  if (merge === 'add' && type === 'numeric') {
    const list = (before as string[] | undefined) ?? [];
    list.push(value === null ? (null as unknown as string) : String(jsonValue(value)));
    values[col] = list;
    return;
  }
  let folded: Value;
  if (merge === 'add' && before !== undefined) {
    folded = before === null || value === null ? null : (before as number) + Number(value);
  } else if (merge === 'concat' && before !== undefined) {
    folded = before === null || value === null ? null : String(before) + String(value);
  } else if (merge === 'first' && before !== undefined && before !== null) {
    return; // keep the first non-NULL value
  } else {
    folded = value;
  }
  if (typeof folded === 'number' && !Number.isFinite(folded)) row.suspect = true;
  values[col] = jsonValue(folded as Value | bigint, false);
}

/** The rows with their last_position, every value checked writable. */
function complete(pending: PendingRows): PendingRows {
  for (const row of pending.rows) {
    row.json.last_position = row.at.toString();
    if (row.suspect) for (const col in row.json) jsonValue(row.json[col] as Value);
  }
  return pending;
}

/**
 * `FROM` clause that looks up each key of the text[] parameter `$n` in `table` by its primary key:
 * one index probe per key (`k.k` the key, `alias` the row; keys without a row drop out). Not
 * `WHERE key = ANY($n)`: with thousands of keys the planner reads the whole table instead (a
 * sequential scan per batch, so a rebuild slows down as the table grows) and, on a freshly built
 * table without statistics, so does a join. A LATERAL subquery with LIMIT cannot be turned into
 * either.
 */
export function byKeys(param: string, table: string, key: string, alias: string, columns: string, join: 'CROSS' | 'LEFT' = 'CROSS'): string {
  return (
    `unnest(${param}::text[]) AS k(k) ${join} JOIN LATERAL (SELECT ${columns} FROM ${table} WHERE ${table}.${key} = k.k LIMIT 1) ${alias}` +
    (join === 'LEFT' ? ' ON true' : '')
  );
}

/** The read of the rows of `keys` that exist: their key `k` and last_position `p` (as text). */
function storedPositions(table: string, key: string, keys: readonly string[]): Read {
  return { sql: `SELECT k.k, t.p FROM ${byKeys('$1', table, key, 't', 'last_position::text AS p')}`, params: [[...new Set(keys)]] };
}

/** storedPositions' rows as key → last_position. */
function positionsFound(rows: readonly FoundRow[]): Map<string, bigint> {
  return new Map(rows.map((r) => [r.k as string, BigInt(r.p as string)]));
}

/** The value a JSON row brings for `col`; a numeric `add` column brings the exact sum of its addends. */
function incoming(spec: RowTable, col: string): string {
  const type = spec.columns[col].type;
  if (spec.merge?.[col] === 'add' && type === 'numeric') {
    return `(SELECT sum(x::numeric) FROM jsonb_array_elements_text(j->'${col}') x)`;
  }
  return fromJson('j', col, type);
}

/** The columns some of the rows know, in the table's order. */
function touchedColumns(spec: RowTable, pending: PendingRows): string[] {
  return Object.keys(spec.columns).filter((c) => pending.known.has(c));
}

/**
 * The mask field of an inserted row: bit i set = the row knows the i-th column that needs it. Not a
 * possible column name (those are [a-z_0-9]+).
 */
const KNOWN = '"#known"';

/**
 * New rows: every column the batch knows, the column's default where a row does not know it. The
 * rows are read by json_to_recordset with a typed record (one parse, no per-column key lookups).
 * A column a row does not know arrives as NULL — its value already when the default is NULL; for
 * a column with another default, a per-row bit mask tells "not known" (default) from "known NULL".
 */
function insertRows(writes: Writes, spec: RowTable, pending: PendingRows): string {
  const { rows, known } = pending;
  const cols = touchedColumns(spec, pending);
  const masked = cols.filter((col) => spec.columns[col].default !== undefined && known.get(col)! < rows.length);
  // The mask travels as a JSON number: exact up to 2^53.
  if (masked.length > 53) throw new Error(`${spec.table}: more than 53 columns with a default in one insert`);
  const record = [`${spec.key} text`, ...cols.map((col) => `${col} ${recordType(spec, col)}`), 'last_position bigint'];
  const exprs = cols.map((col) => {
    const bit = masked.indexOf(col);
    const v = fromRecord(spec, col);
    return bit < 0 ? v : `CASE WHEN r.${KNOWN} & ${2 ** bit} <> 0 THEN ${v} ELSE ${spec.columns[col].default} END`;
  });
  if (masked.length > 0) {
    record.push(`${KNOWN} bigint`);
    for (const r of rows) {
      let mask = 0;
      for (let bit = 0; bit < masked.length; bit++) if (r.json[masked[bit]] !== undefined) mask += 2 ** bit;
      r.json[KNOWN.slice(1, -1)] = mask;
    }
  }
  return (
    `INSERT INTO ${spec.table} (${spec.key}, ${cols.map((c) => `${c}, `).join('')}last_position)\n` +
    `SELECT r.${spec.key}, ${exprs.map((e) => `${e}, `).join('')}r.last_position\n` +
    `FROM json_to_recordset(${writes.records(rows.map((r) => r.json), true)}) AS r(${record.join(', ')})`
  );
}

/**
 * A column's field in the record json_to_recordset reads: integers as numeric first (rounded by the
 * cast, as a literal `1.5::int` would be), a numeric `add` column as its JSON list of addends.
 */
function recordType(spec: RowTable, col: string): string {
  const type = spec.columns[col].type;
  if (spec.merge?.[col] === 'add' && type === 'numeric') return 'json';
  return type === 'int' || type === 'bigint' ? 'numeric' : type;
}

/** The value a record brings for `col`, in the column's type; a numeric `add` column brings the exact sum of its addends. */
function fromRecord(spec: RowTable, col: string): string {
  const type = spec.columns[col].type;
  if (spec.merge?.[col] === 'add' && type === 'numeric') return `(SELECT sum(x::numeric) FROM json_array_elements_text(r.${col}) x)`;
  return type === 'int' || type === 'bigint' ? `r.${col}::${type}` : `r.${col}`;
}

/** Existing rows: each known column merged into the stored value, guarded by position. */
function updateRows(writes: Writes, spec: RowTable, pending: PendingRows): string {
  const sets = touchedColumns(spec, pending).map((col) => {
    const v = incoming(spec, col);
    const merged =
      spec.merge?.[col] === 'concat' ? `t.${col} || ${v}` :
      spec.merge?.[col] === 'add' ? `t.${col} + ${v}` :
      spec.merge?.[col] === 'first' ? `coalesce(t.${col}, ${v})` : v;
    return `${col} = CASE WHEN j ? '${col}' THEN ${merged} ELSE t.${col} END`;
  });
  return (
    `UPDATE ${spec.table} AS t SET ${sets.map((s) => `${s}, `).join('')}last_position = (j->>'last_position')::bigint\n` +
    `FROM jsonb_array_elements(${writes.rows(pending.rows.map((r) => r.json))}) j\n` +
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
      `SELECT ${cols.join(', ')} FROM json_to_recordset(${writes.records(columnRows(rows, cols), true)}) AS r(${record})\n` +
      `ON CONFLICT (${key.join(', ')}) ${conflict}`,
  );
}

/**
 * Writes whole rows of a working table (every column computed by the fold) when the caller read,
 * in this transaction, which of them are stored (`isStored`): the new ones by a plain INSERT, the
 * stored ones by an UPDATE, in one statement. Cheaper than putRows' INSERT ... ON CONFLICT DO
 * UPDATE, which probes the key before every insert and confirms each as a speculative insertion.
 */
export function replaceRows(
  writes: Writes,
  table: string,
  columns: Record<string, Column>,
  key: string,
  rows: readonly object[],
  isStored: (row: object) => boolean,
): void {
  const fresh: object[] = [];
  const stored: object[] = [];
  for (const row of rows) (isStored(row) ? stored : fresh).push(row);
  const cols = Object.keys(columns);
  const record = cols.map((c) => `${c} ${columns[c].type}`).join(', ');
  if (fresh.length > 0) {
    writes.add(`INSERT INTO ${table} (${cols.join(', ')})\nSELECT ${cols.join(', ')} FROM json_to_recordset(${writes.records(columnRows(fresh, cols), true)}) AS r(${record})`);
  }
  if (stored.length > 0) {
    const rest = cols.filter((c) => c !== key);
    writes.add(
      `UPDATE ${table} AS t SET ${rest.map((c) => `${c} = r.${c}`).join(', ')}\n` +
        `FROM json_to_recordset(${writes.records(columnRows(stored, cols), true)}) AS r(${record}) WHERE t.${key} = r.${key}`,
    );
  }
}

/**
 * The rows as sent to json_to_recordset: the table's columns only, always in the same order, each
 * value JSON-ready (bigint as text, a number that is not finite refused). Objects of one shape,
 * built in one pass, serialize several times faster than copies of the caller's rows.
 */
function columnRows(rows: readonly object[], cols: readonly string[]): Record<string, unknown>[] {
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const col of cols) {
      const v: unknown = (row as Record<string, unknown>)[col];
      out[col] = typeof v === 'bigint' || typeof v === 'number' || typeof v === 'object' ? jsonReadyValue(v) : v;
    }
    return out;
  });
}
