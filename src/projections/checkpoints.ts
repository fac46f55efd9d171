import type { Projection } from './projection';
import { Opening, READ_MODEL_SCHEMA, ReadModelDatabase, ReadModelQueryable } from './read-model-database';
import { checkSchemaName, useSchema } from './schema-scope';

/**
 * Each read-model schema (the live `siren_rm`, a rebuild's shadow) keeps its own checkpoints, so
 * a shadow copy carries its position with it when it is swapped in.
 */
export const checkpointsTable = (schema: string = READ_MODEL_SCHEMA): string => `${checkSchemaName(schema)}.projection_checkpoints`;
export const CHECKPOINTS_TABLE = checkpointsTable();

const checkpointsSql = (schema: string): string => {
  const CHECKPOINTS_TABLE = checkpointsTable(schema);
  return `
CREATE SCHEMA IF NOT EXISTS ${checkSchemaName(schema)};
CREATE TABLE IF NOT EXISTS ${CHECKPOINTS_TABLE} (
  name        text NOT NULL,
  version     int NOT NULL,
  position    bigint NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  relations   text[],
  error       text,
  PRIMARY KEY (name, version)
);
COMMENT ON TABLE ${CHECKPOINTS_TABLE} IS 'How far each read model (name, version) has applied the event log.';
COMMENT ON COLUMN ${CHECKPOINTS_TABLE}.name IS 'Read model name, e.g. calls (its tables are <name>_v<version> or named in projections/<name>.v<version>.sql).';
COMMENT ON COLUMN ${CHECKPOINTS_TABLE}.version IS 'Schema version of the read model; a new version is built beside the old one.';
COMMENT ON COLUMN ${CHECKPOINTS_TABLE}.updated_at IS 'When the checkpoint last moved.';
COMMENT ON COLUMN ${CHECKPOINTS_TABLE}.position IS 'Global position of the last event applied; its rows were written in the same transaction.';
${commentsOnAddedColumns(CHECKPOINTS_TABLE)}`;
};

/** Columns added after the table's first release (M12), created on their own in older databases. */
const commentsOnAddedColumns = (table: string): string => `
COMMENT ON COLUMN ${table}.relations IS 'Tables and views this version created (what a rebuild or a new version replaces).';
COMMENT ON COLUMN ${table}.error IS 'Why the projection stopped, when it failed; cleared when it starts again.';
`;
const addedColumnsSql = (table: string): string =>
  `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS relations text[], ADD COLUMN IF NOT EXISTS error text;${commentsOnAddedColumns(table)}`;

/** Thrown when the stored checkpoint is not the one this batch started from: someone else moved it. */
export class CheckpointConflictError extends Error {
  readonly code = 'PROJECTION_CHECKPOINT_CONFLICT';
  constructor(readonly projection: string, readonly expected: bigint) {
    super(`projection ${projection}: checkpoint is no longer at ${expected} (another runner advanced it)`);
    this.name = 'CheckpointConflictError';
  }
}

const key = (p: Pick<Projection, 'name' | 'version'>): [string, number] => [p.name, p.version];

/**
 * Creates the checkpoints table and this version's tables if missing, and its checkpoint row at 0,
 * in one transaction: a checkpoint row therefore means its schema is complete, and once it exists
 * no DDL runs again. That matters: CREATE INDEX IF NOT EXISTS or COMMENT lock the tables even when
 * there is nothing to do, and against another runner's live batch (which holds a checkpoint row)
 * that is a deadlock. A transaction-level advisory lock serializes first-time creation.
 */
export async function ensureProjectionSchema(
  db: ReadModelDatabase,
  projection: Projection,
  schema: string = READ_MODEL_SCHEMA,
): Promise<bigint> {
  const CHECKPOINTS_TABLE = checkpointsTable(schema);
  return db.transaction(async (tx) => {
    await ensureCheckpointsTable(tx, schema);
    const existing = await tx.query<{ position: unknown }>(
      `SELECT position FROM ${CHECKPOINTS_TABLE} WHERE name = $1 AND version = $2`,
      key(projection),
    );
    if (existing.length > 0) return BigInt(String(existing[0].position));
    const relations = await createProjectionObjects(tx, projection, schema);
    await tx.query(`INSERT INTO ${CHECKPOINTS_TABLE} (name, version, relations) VALUES ($1, $2, $3)`, [...key(projection), relations]);
    return 0n;
  });
}

/**
 * Creates `schema` and its checkpoints table when missing (and adds the columns a table created
 * before M12 lacks), under a transaction-level advisory lock that serializes first-time creation.
 * Runs DDL only when something is missing: see ensureProjectionSchema for why that matters.
 */
export async function ensureCheckpointsTable(tx: ReadModelQueryable, schema: string = READ_MODEL_SCHEMA): Promise<void> {
  const table = checkpointsTable(schema);
  await tx.query('SELECT pg_advisory_xact_lock(1397310029, 11)'); // 'SIRM', M11
  const [{ exists, columns }] = await tx.query<{ exists: unknown; columns: unknown }>(
    `SELECT to_regclass('${table}') IS NOT NULL AS exists,
            (SELECT count(*) FROM information_schema.columns
              WHERE table_schema = $1 AND table_name = 'projection_checkpoints' AND column_name IN ('relations', 'error')) AS columns`,
    [schema],
  );
  if (exists !== true) await tx.exec(checkpointsSql(schema));
  else if (Number(columns) < 2) await tx.exec(addedColumnsSql(table));
}

/**
 * Runs a projection's DDL with its unqualified names resolved to `schema`, and returns the
 * tables and views it created there: recorded with its checkpoint, they are what a rebuild or a
 * later version replaces, whatever the tables are called.
 */
export async function createProjectionObjects(tx: ReadModelQueryable, projection: Projection, schema: string): Promise<string[]> {
  const before = new Set(await listRelations(tx, schema));
  await useSchema(tx, schema);
  await tx.exec(projection.schemaSql);
  return (await listRelations(tx, schema)).filter((r) => !before.has(r) && r !== 'projection_checkpoints');
}

/** Tables, views and materialized views in `schema` (indexes and sequences move with their table). */
export async function listRelations(db: ReadModelQueryable, schema: string): Promise<string[]> {
  const rows = await db.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY c.relname`,
    [schema],
  );
  return rows.map((r) => r.relname);
}

/** One stored checkpoint row, as status and rebuilds read it. */
export interface CheckpointRow {
  name: string;
  version: number;
  position: bigint;
  relations: string[] | null;
  error: string | null;
  updatedAt: Date;
}

/**
 * Every version's checkpoint row of the named projections in `schema` (all rows when `names` is
 * omitted); [] when the schema or its table does not exist. `forUpdate` locks them until the end
 * of the transaction: a rebuild's swap keeps the live runner from committing meanwhile.
 */
export async function readCheckpointRows(
  db: ReadModelQueryable,
  schema: string = READ_MODEL_SCHEMA,
  names?: readonly string[],
  opts: { forUpdate?: boolean } = {},
): Promise<CheckpointRow[]> {
  const table = checkpointsTable(schema);
  const [{ exists }] = await db.query<{ exists: unknown }>(`SELECT to_regclass('${table}') IS NOT NULL AS exists`);
  if (exists !== true) return [];
  const [{ columns }] = await db.query<{ columns: unknown }>(
    `SELECT count(*) AS columns FROM information_schema.columns
      WHERE table_schema = $1 AND table_name = 'projection_checkpoints' AND column_name IN ('relations', 'error')`,
    [schema],
  );
  const extra = Number(columns) === 2 ? 'relations, error' : 'NULL::text[] AS relations, NULL::text AS error';
  const rows = await db.query<{ name: string; version: unknown; position: unknown; relations: string[] | null; error: string | null; updated_at: unknown }>(
    `SELECT name, version, position, updated_at, ${extra} FROM ${table}
      WHERE $1::text[] IS NULL OR name = ANY($1::text[]) ORDER BY name, version${opts.forUpdate ? ' FOR UPDATE' : ''}`,
    [names ? [...names] : null],
  );
  return rows.map((r) => ({
    name: r.name,
    version: Number(r.version),
    position: BigInt(String(r.position)),
    relations: r.relations,
    error: r.error,
    updatedAt: r.updated_at instanceof Date ? r.updated_at : new Date(String(r.updated_at)),
  }));
}

/**
 * Notes why a projection stopped (null: clear it), for `siren projections status` in another
 * process. Best effort: the failure may be the database itself.
 */
export async function recordProjectionError(
  db: ReadModelQueryable,
  projection: Pick<Projection, 'name' | 'version'>,
  error: string | null,
  schema: string = READ_MODEL_SCHEMA,
): Promise<void> {
  await db
    .query(`UPDATE ${checkpointsTable(schema)} SET error = $3 WHERE name = $1 AND version = $2 AND error IS DISTINCT FROM $3`, [...key(projection), error])
    .catch(() => undefined);
}

export async function readCheckpoint(
  db: ReadModelQueryable,
  projection: Pick<Projection, 'name' | 'version'>,
  schema: string = READ_MODEL_SCHEMA,
): Promise<bigint> {
  const rows = await db.query<{ position: unknown }>(
    `SELECT position FROM ${checkpointsTable(schema)} WHERE name = $1 AND version = $2`,
    key(projection),
  );
  if (rows.length === 0) throw new Error(`projection ${projection.name} v${projection.version} has no checkpoint row`);
  return BigInt(String(rows[0].position));
}

/**
 * Compare-and-set: moves the checkpoint from `expected` to `next` or throws. Run first in the
 * batch's transaction, so its row lock also keeps a second runner from writing the same rows
 * concurrently; that runner then finds the position moved and fails cleanly.
 */
export async function advanceCheckpoint(
  tx: ReadModelQueryable,
  projection: Pick<Projection, 'name' | 'version'>,
  expected: bigint,
  next: bigint,
  schema: string = READ_MODEL_SCHEMA,
): Promise<void> {
  await advanceCheckpointsIn(tx, [{ projection, schema, expected, next }]);
}

/** One projection's compare-and-set for advanceCheckpointsStatement. */
export interface CheckpointMove {
  projection: Pick<Projection, 'name' | 'version'>;
  expected: bigint;
  next: bigint;
}

/**
 * advanceCheckpoint for several projections in ONE statement (one round trip for a runner's whole
 * batch): the batch's BEGIN carries it (ReadModelDatabase.transaction's `opening`), the moves in
 * one JSON parameter, its text the same for every batch. Its rows go to notMoved. The checkpoint
 * rows are locked first, in (name, version) order, so two runners (or a swap) locking
 * overlapping sets wait for each other instead of deadlocking.
 */
export function advanceCheckpointsStatement(moves: readonly CheckpointMove[], schema: string = READ_MODEL_SCHEMA): Opening {
  const json = JSON.stringify(moves.map((m) => ({ name: m.projection.name, version: m.projection.version, expected: m.expected.toString(), next: m.next.toString() })));
  const table = checkpointsTable(schema);
  return {
    params: [json],
    sql: `WITH v AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(name text, version int, expected bigint, next bigint)),
          locked AS MATERIALIZED (SELECT c.name, c.version FROM ${table} c JOIN v USING (name, version) ORDER BY c.name, c.version FOR UPDATE OF c)
     UPDATE ${table} c SET position = v.next, updated_at = now()
       FROM v JOIN locked USING (name, version)
      WHERE c.name = v.name AND c.version = v.version AND c.position = v.expected
     RETURNING c.name`,
  };
}

/** The names among `moves` that the advance's returned rows do not list: their checkpoint had moved. */
export function notMoved(moves: readonly CheckpointMove[], rows: readonly Record<string, unknown>[]): string[] {
  const moved = new Set(rows.map((r) => r.name));
  return moves.map((m) => m.projection.name).filter((name) => !moved.has(name));
}

/**
 * advanceCheckpoint for projections whose checkpoints may be in different schemas (a rebuild's
 * shadow copies, each in its own), in ONE statement; throws CheckpointConflictError for the first
 * whose checkpoint was not at `expected`. The rows are not locked in order first: for the live
 * checkpoints of several projections, which others lock too, use advanceCheckpointsStatement.
 */
export async function advanceCheckpointsIn(tx: ReadModelQueryable, moves: readonly (CheckpointMove & { schema: string })[]): Promise<void> {
  if (moves.length === 0) return;
  const params: string[] = [];
  const parts = moves.map((m, i) => {
    params.push(m.projection.name, String(m.projection.version), m.next.toString(), m.expected.toString());
    const [name, version, next, expected] = [1, 2, 3, 4].map((n) => `$${i * 4 + n}`);
    return `m${i} AS (UPDATE ${checkpointsTable(m.schema)} SET position = ${next}::bigint, updated_at = now() ` +
      `WHERE name = ${name} AND version = ${version}::int AND position = ${expected}::bigint RETURNING name)`;
  });
  const rows = await tx.query<{ name: string }>(`WITH ${parts.join(',\n')}\n${moves.map((_, i) => `SELECT name FROM m${i}`).join(' UNION ALL ')}`, params);
  const moved = new Set(rows.map((r) => r.name));
  const stale = moves.find((m) => !moved.has(m.projection.name));
  if (stale) throw new CheckpointConflictError(stale.projection.name, stale.expected);
}

/** Moves a checkpoint unconditionally (rebuild from scratch, tests replaying a batch). */
export async function setCheckpoint(
  db: ReadModelQueryable,
  projection: Pick<Projection, 'name' | 'version'>,
  position: bigint,
  schema: string = READ_MODEL_SCHEMA,
): Promise<void> {
  await db.query(`UPDATE ${checkpointsTable(schema)} SET position = $3::bigint, updated_at = now() WHERE name = $1 AND version = $2`, [
    ...key(projection),
    position.toString(),
  ]);
}
