import type { ReadModelQueryable } from './read-model-database';

/**
 * Projection SQL (projections/*.sql and the handlers' statements) names its tables without a
 * schema. The schema they land in is chosen per transaction with SET LOCAL search_path: the live
 * read models in `siren_rm`, a live rebuild's shadow copy in a schema of its own, tests in theirs.
 * One set of handlers and DDL files thus builds any copy, and nothing has to rewrite SQL text.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Refuses anything but a plain lower-case identifier: the name is spliced into SQL. */
export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid read-model schema name ${JSON.stringify(schema)}`);
  return schema;
}

/** Points unqualified names at `schema` until the end of the current transaction. */
export async function useSchema(tx: ReadModelQueryable, schema: string): Promise<void> {
  // pg_catalog stays first implicitly; no public: a stray unqualified name must not land there.
  await tx.exec(`SET LOCAL search_path TO ${checkSchemaName(schema)}`);
}

/**
 * A read-model batch's settings, for ReadModelDatabase.transaction, which sends them with its
 * BEGIN (no round trip of their own):
 *  - unqualified names resolve to `schema` (several: to the first that has the name);
 *  - COMMIT does not wait for the WAL flush. Safe wherever a batch's rows commit together with its
 *    checkpoint (the runner, a rebuild's shadow): a crash can only lose whole batches, and they are
 *    applied again from the log. Not for a swap, which must be durable;
 *  - joins are nested loops. Every statement of a batch finds its rows by key (a batch's keys,
 *    unnested from a parameter, against a primary key), but the planner guesses 100 rows for
 *    any set-returning function and sees the table as it was at its last ANALYZE: against a table
 *    it believes small, it chose to hash the batch's rows and scan the whole table -- measured
 *    6-8 ms a statement on 6,000 rows, growing with the table, where the index takes microseconds.
 */
export function batchSettings(schema: string | readonly string[]): string {
  const path = (typeof schema === 'string' ? [schema] : schema).map(checkSchemaName).join(', ');
  return (
    `SET LOCAL search_path TO ${path}; SET LOCAL synchronous_commit TO off; ` +
    'SET LOCAL enable_hashjoin TO off; SET LOCAL enable_mergejoin TO off'
  );
}

/** The `scope` for applyEventsIn (apply-batch.ts) once batchSettings have set the schema. */
export const schemaAlreadySet = async (): Promise<void> => undefined;
