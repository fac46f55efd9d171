import type { RecordedEvent } from '../eventstore/event-store.port';

/** One parameterized statement a projection wants run for an event. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * A read model: a pure function from one recorded event (already upcast) to the statements that
 * bring its rows up to date. Every statement must be idempotent for that event's position: an
 * upsert keyed by id that stores `last_position` and only applies when the stored position is
 * older, so replaying an event is a no-op. Events it does not care about give `[]`.
 */
export interface Projection {
  /** Stable name; with `version` it keys the checkpoint and names the SQL file. */
  readonly name: string;
  /** Bump for a breaking change to the rows: the new version is built beside the old (M12). */
  readonly version: number;
  /** The DDL for this version: projections/<name>.v<version>.sql (idempotent, IF NOT EXISTS). */
  readonly schemaSql: string;
  /** Tables this version owns (schema-qualified), for rebuilds, status and tests. */
  readonly tables: readonly string[];
  handle(event: RecordedEvent): Statement[];
}
