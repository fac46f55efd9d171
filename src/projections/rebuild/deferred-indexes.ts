import type { Projection } from '../projection';

/**
 * A shadow copy is built from nothing and read by nobody until the swap, so its secondary
 * indexes (the non-unique ones, there for analysts' queries) are better created once over the
 * finished table than kept up to date row by row. Primary keys and unique indexes stay: the
 * projections' upserts find their rows by them. The rule this relies on: a projection's writes
 * look rows up by its primary key or a unique index, never by a plain index.
 *
 * The statements are the SQL file's own (`CREATE INDEX IF NOT EXISTS ...;`, one per line), so
 * the copy ends up with exactly the indexes a live build has.
 */
const PLAIN_INDEX = /^CREATE INDEX IF NOT EXISTS [^;]+;[ \t]*$/gm;

/** The plain CREATE INDEX statements of a projection's DDL, in file order. */
export function deferredIndexes(schemaSql: string): string[] {
  return schemaSql.match(PLAIN_INDEX) ?? [];
}

/** The projection with its DDL minus those statements, for building a shadow copy. */
export function withoutDeferredIndexes(projection: Projection): Projection {
  const schemaSql = projection.schemaSql.replace(PLAIN_INDEX, '');
  return schemaSql === projection.schemaSql ? projection : { ...projection, schemaSql };
}
