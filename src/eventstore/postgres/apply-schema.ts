import { SCHEMA_SQL, SCHEMA_VERSION } from './schema';
import type { SqlDatabase } from './sql-database';

/**
 * Creates or updates the schema. Serialized by a transaction-level advisory lock so two
 * processes opening a fresh database at once do not race on CREATE ... IF NOT EXISTS.
 */
export async function applySchema(db: SqlDatabase): Promise<void> {
  await db.withConnection(async (conn) => {
    await conn.simpleQuery(
      `BEGIN; SELECT pg_advisory_xact_lock(${0x53495245}, 0);\n${SCHEMA_SQL}\nCOMMIT;`,
    );
  });
  const [row] = await db.query<{ v: number }>('SELECT max(version) AS v FROM siren_schema_version');
  if (Number(row.v) > SCHEMA_VERSION) {
    throw new Error(
      `event store schema version ${row.v} is newer than this code supports (${SCHEMA_VERSION})`,
    );
  }
}
