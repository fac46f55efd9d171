import { SCHEMA_SQL } from './schema';
import type { SqlDatabase } from './sql-database';

/**
 * Creates or updates the schema. Serialized by a transaction-level advisory lock so two
 * processes opening a fresh database at once do not race on CREATE ... IF NOT EXISTS. A database
 * that newer code has migrated is refused inside that transaction, before anything is replaced.
 */
export async function applySchema(db: SqlDatabase): Promise<void> {
  await db.withConnection(async (conn) => {
    await conn.simpleQuery(
      `BEGIN; SELECT pg_advisory_xact_lock(${0x53495245}, 0);\n${SCHEMA_SQL}\nCOMMIT;`,
    );
  });
}
