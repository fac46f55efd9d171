import type { EventPayload } from '../eventstore/event-store.port';
import type { Upcast } from '../shared/upcasters';
import { advanceCheckpoint } from './checkpoints';
import { Change, isStatement, Projection } from './projection';
import { READ_MODEL_SCHEMA, ReadModelDatabase, ReadModelQueryable } from './read-model-database';
import { useSchema } from './schema-scope';
import { NO_WRITES, runPlans, WritePlan } from './write-plan';

/**
 * Applies a batch of events (in global order, all after `from`) to one projection: the rows and
 * the checkpoint move in ONE transaction, so after a crash either both reflect the batch or
 * neither does. The projection's unqualified table names resolve to `schema`. Returns the new
 * checkpoint.
 */
export async function applyBatch(
  db: ReadModelDatabase,
  projection: Projection,
  events: readonly EventPayload[],
  from: bigint,
  upcast: Upcast,
  schema: string = READ_MODEL_SCHEMA,
): Promise<bigint> {
  if (events.length === 0) return from;
  return db.transaction((tx) => applyBatchIn(tx, projection, events, from, upcast, schema));
}

/**
 * applyBatch inside a transaction the caller owns (a rebuild's swap applies the last events and
 * swaps tables in one). If it wrote anything, it leaves search_path pointing at `schema` for the
 * rest of the transaction (callers name their own tables with the schema).
 *
 * The handlers' changes are collected for the whole batch and written by the projection in a few
 * multi-row statements (see sql.ts); a plain Statement from a handler first flushes what was
 * collected before it, then runs, so every write still sees the ones of earlier events.
 */
export async function applyBatchIn(
  tx: ReadModelQueryable,
  projection: Projection,
  events: readonly EventPayload[],
  from: bigint,
  upcast: Upcast,
  schema: string = READ_MODEL_SCHEMA,
): Promise<bigint> {
  if (events.length === 0) return from;
  const to = events[events.length - 1].position;
  await advanceCheckpoint(tx, projection, from, to, schema);
  await applyEventsIn(tx, projection, events, upcast, schemaScope(tx, schema));
  return to;
}

/**
 * Sets search_path to `schema` the first time it is called (then does nothing): a batch a read
 * model ignores (most events, for most read models, when live) costs no round trip for it.
 */
export function schemaScope(tx: ReadModelQueryable, schema: string): () => Promise<void> {
  let scoped = false;
  return async () => {
    if (!scoped) await useSchema(tx, schema);
    scoped = true;
  };
}

/**
 * The rows of a batch without its checkpoint, which the caller moves in the same transaction
 * (the runner moves all its projections' checkpoints in one statement). `scope` is called before
 * the first write.
 */
export async function applyEventsIn(
  tx: ReadModelQueryable,
  projection: Projection,
  events: readonly EventPayload[],
  upcast: Upcast,
  scope: () => Promise<void>,
): Promise<void> {
  let changes: Change[] = [];
  const flush = async () => {
    if (changes.length === 0) return;
    const batch = changes;
    changes = [];
    await scope();
    await runPlans(tx, [planOf(projection, batch)]);
  };
  for (const recorded of events) {
    const event = upcastEvent(recorded, upcast);
    for (const change of projection.handle(event)) {
      if (!isStatement(change)) {
        changes.push(change);
        continue;
      }
      await flush();
      await scope();
      await tx.query(change.sql, change.params);
    }
  }
  await flush();
}

/**
 * One projection's plan for a batch (no statement run yet), or null when its handler returned a
 * plain Statement: those run in event order between folds, so such a batch is applied by
 * applyEventsIn instead.
 */
export function planEvents(projection: Projection, events: readonly EventPayload[]): WritePlan | null {
  const changes: Change[] = [];
  for (const event of events) {
    for (const change of projection.handle(event)) {
      if (isStatement(change)) return null;
      changes.push(change);
    }
  }
  return changes.length === 0 ? NO_WRITES : planOf(projection, changes);
}

function planOf(projection: Projection, changes: readonly Change[]): WritePlan {
  if (!projection.plan) throw new Error(`projection ${projection.name} returned changes but has no plan()`);
  return projection.plan(changes);
}

/** The event in its current shape; most events are current and are handed over as they are (no copy). */
export function upcastEvent<E extends EventPayload>(recorded: E, upcast: Upcast): E {
  const lifted = upcast(recorded.type, recorded.schemaVersion, recorded.data);
  return lifted.data === recorded.data && lifted.schemaVersion === recorded.schemaVersion
    ? recorded
    : { ...recorded, schemaVersion: lifted.schemaVersion, data: lifted.data };
}
