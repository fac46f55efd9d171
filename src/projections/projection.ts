import type { EventPayload } from '../eventstore/event-store.port';
import type { WritePlan } from './write-plan';

/** One parameterized statement to run as is, in event order (between folded batches of changes). */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** A change a projection folds with the rest of its batch (its `plan` knows the shape). */
export interface Change {
  readonly op: string;
}

export const isStatement = (c: Statement | Change): c is Statement => typeof (c as Statement).sql === 'string';

/**
 * A read model: a pure function from one recorded event (already upcast) to the changes it makes,
 * and a writer that applies the changes of many consecutive events at once. Applying them must be
 * idempotent per event position: every row stores `last_position`, and an event whose position a
 * row already reflects changes nothing, so replaying an event is a no-op. Events it does not care
 * about give `[]`.
 */
export interface Projection {
  /** Stable name; with `version` it keys the checkpoint and names the SQL file. */
  readonly name: string;
  /** Bump for a breaking change to the rows: the new version is built beside the old (M12). */
  readonly version: number;
  /** The DDL for this version: projections/<name>.v<version>.sql (idempotent, IF NOT EXISTS). */
  readonly schemaSql: string;
  /** Tables this version owns (unqualified: the schema is chosen by search_path), for rebuilds, status and tests. */
  readonly tables: readonly string[];
  /** What one event changes: Changes (folded by `plan`) or Statements (run as they are, in order). */
  handle(event: EventPayload): (Change | Statement)[];
  /**
   * How the Changes `handle` gave for consecutive events (in event order) are written: the reads
   * they need, then their fold into statements (write-plan.ts). Required as soon as `handle`
   * returns a Change. Pure: it runs no statement itself, so the runner can read and write for all
   * projections of a batch together.
   */
  plan?(changes: readonly Change[]): WritePlan;
}
