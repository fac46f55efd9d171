import type { Projection } from './projection';
import { READ_MODEL_SCHEMA, ReadModelDatabase, ReadModelQueryable } from './read-model-database';
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
  PRIMARY KEY (name, version)
);
COMMENT ON TABLE ${CHECKPOINTS_TABLE} IS 'How far each read model (name, version) has applied the event log.';
COMMENT ON COLUMN ${CHECKPOINTS_TABLE}.name IS 'Read model name, e.g. calls (its tables are <name>_v<version> or named in projections/<name>.v<version>.sql).';
COMMENT ON COLUMN ${CHECKPOINTS_TABLE}.version IS 'Schema version of the read model; a new version is built beside the old one.';
COMMENT ON COLUMN ${CHECKPOINTS_TABLE}.updated_at IS 'When the checkpoint last moved.';
COMMENT ON COLUMN ${CHECKPOINTS_TABLE}.position IS 'Global position of the last event applied; its rows were written in the same transaction.';
`;
};

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
    await tx.query('SELECT pg_advisory_xact_lock(1397310029, 11)'); // 'SIRM', M11
    const [{ table }] = await tx.query<{ table: unknown }>(`SELECT to_regclass('${CHECKPOINTS_TABLE}')::text AS table`);
    if (table === null) await tx.exec(checkpointsSql(schema));
    const existing = await tx.query<{ position: unknown }>(
      `SELECT position FROM ${CHECKPOINTS_TABLE} WHERE name = $1 AND version = $2`,
      key(projection),
    );
    if (existing.length > 0) return BigInt(String(existing[0].position));
    await useSchema(tx, schema);
    await tx.exec(projection.schemaSql);
    await tx.query(`INSERT INTO ${CHECKPOINTS_TABLE} (name, version) VALUES ($1, $2)`, key(projection));
    return 0n;
  });
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
  const rows = await tx.query(
    `UPDATE ${checkpointsTable(schema)} SET position = $3::bigint, updated_at = now()
     WHERE name = $1 AND version = $2 AND position = $4::bigint RETURNING position`,
    [...key(projection), next.toString(), expected.toString()],
  );
  if (rows.length !== 1) throw new CheckpointConflictError(projection.name, expected);
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
