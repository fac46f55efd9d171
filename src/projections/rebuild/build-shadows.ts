import type { EventStore, EventPayload } from '../../eventstore/event-store.port';
import { noUpcast, Upcast } from '../../shared/upcasters';
import { applyEventsIn, planEvents } from '../apply-batch';
import { advanceCheckpointsIn, ensureProjectionSchema } from '../checkpoints';
import type { Projection } from '../projection';
import type { ReadModelDatabase } from '../read-model-database';
import { batchSettings, useSchema } from '../schema-scope';
import { runPlans, WritePlan } from '../write-plan';
import { deferredIndexes, withoutDeferredIndexes } from './deferred-indexes';
import { PageFeed } from './page-feed';
import { yieldToEventLoop } from './yield-to-event-loop';

/** A projection and the schema its copy is built in. */
export interface ShadowTarget {
  projection: Projection;
  shadow: string;
}

export interface BuildShadowsInput {
  store: EventStore;
  db: ReadModelDatabase;
  targets: readonly ShadowTarget[];
  batchSize: number;
  upcast: Upcast;
  /** Told of the log's head when the build starts. */
  onHead?: (head: bigint) => void;
  /** Told once each page is in every copy. */
  onPage?: (events: number, position: bigint) => Promise<void> | void;
  signal?: AbortSignal;
}

/**
 * Builds fresh copies of `targets` from position 0, each in its own (new, empty) schema, reading
 * the log ONCE for all of them. Returns the position they all reflect; what was appended after the
 * last full page is left to the swap, which applies it with the live checkpoint locked.
 *
 * Why it is faster than the live runner, and still exact:
 *  - reading overlaps writing: the next page is read while the current one is applied (PageFeed);
 *  - each copy goes through the pages at its own pace, in its own transaction per page (its rows
 *    and its checkpoint together, so a copy always matches its checkpoint), on its own pooled
 *    connection: PostgreSQL applies one copy's rows while this thread folds another's events
 *    (on PGlite, which runs one statement at a time, the copies go as one group instead, sharing
 *    each page's transaction, a third of the statements: applyToShadows);
 *  - nobody reads a shadow, so its plain indexes are created once, after the bulk of the rows
 *    (deferred-indexes.ts), and its commits do not wait for the WAL flush (synchronous_commit
 *    off): a crash loses the shadow, which the next rebuild drops anyway; the swap, which makes a
 *    copy live, commits durably.
 */
export async function buildShadows(input: BuildShadowsInput): Promise<bigint> {
  const { store, db, targets, batchSize, signal } = input;
  for (const { projection, shadow } of targets) {
    await db.exec(`DROP SCHEMA IF EXISTS ${shadow} CASCADE`);
    await ensureProjectionSchema(db, withoutDeferredIndexes(projection), shadow);
  }
  input.onHead?.(await store.headPosition());
  const groups = db.serialized && ownTables(targets) ? [targets] : targets.map((target) => [target]);
  const feed = new PageFeed(store, batchSize, input.upcast, groups.length);
  let position = 0n;
  const follow = async (group: readonly ShadowTarget[], c: number): Promise<void> => {
    let from = 0n;
    for (let i = 0; ; i++) {
      await yieldToEventLoop();
      signal?.throwIfAborted();
      const page = await feed.page(i);
      // Its last page is in: finish these copies while the slower ones go on.
      if (page === null) {
        for (const target of group) await finish(db, target);
        return;
      }
      await applyToShadows(db, group, page, from);
      from = page[page.length - 1].position;
      if (feed.done(c, i)) {
        position = from;
        await input.onPage?.(page.length, from);
      }
    }
  };
  // One copy failing stops the others at their next page; none is left writing when this returns.
  const outcomes = await Promise.allSettled(
    groups.map((group, c) => follow(group, c).catch((err: unknown) => {
      feed.stop(err instanceof Error ? err : new Error(String(err)));
      throw err;
    })),
  );
  await feed.settle(); // no read left running on a store about to close
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
  return position;
}

/** No table name in two of the copies: one search path can hold them all. */
function ownTables(targets: readonly ShadowTarget[]): boolean {
  const tables = targets.flatMap((t) => t.projection.tables);
  return new Set(tables).size === tables.length;
}

/**
 * One page into a group of copies, in ONE transaction: their checkpoints in one statement, then
 * one statement reading and one writing for all of them (write-plan.ts), with a search path
 * holding every copy's schema (ownTables). The feed has upcast the events once for every copy.
 */
async function applyToShadows(db: ReadModelDatabase, group: readonly ShadowTarget[], page: readonly EventPayload[], from: bigint): Promise<void> {
  const to = page[page.length - 1].position;
  const plans = group.map((t) => planEvents(t.projection, page));
  await db.transaction(async (tx) => {
    await advanceCheckpointsIn(tx, group.map((t) => ({ projection: t.projection, schema: t.shadow, expected: from, next: to })));
    if (plans.every((p): p is WritePlan => p !== null)) return runPlans(tx, plans);
    // A projection returned plain Statements: one copy at a time, each in its own schema.
    for (const t of group) await applyEventsIn(tx, t.projection, page, noUpcast, () => useSchema(tx, t.shadow));
  }, batchSettings(group.map((t) => t.shadow)));
}

/**
 * A built copy's plain indexes, then its statistics: the planner gets them now rather than when
 * autovacuum gets round to the new tables — right after the swap the live runner and the reports
 * would otherwise plan blind, and the autovacuum's ANALYZE would compete with them for the CPU.
 */
async function finish(db: ReadModelDatabase, { projection, shadow }: ShadowTarget): Promise<void> {
  await db.transaction(async (tx) => {
    await useSchema(tx, shadow);
    for (const statement of deferredIndexes(projection.schemaSql)) await tx.exec(statement);
    for (const table of projection.tables) await tx.exec(`ANALYZE ${shadow}.${table}`);
  });
}
