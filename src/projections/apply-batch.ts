import type { RecordedEvent } from '../eventstore/event-store.port';
import type { Upcast } from '../shared/upcasters';
import { advanceCheckpoint } from './checkpoints';
import { Change, isStatement, Projection } from './projection';
import { READ_MODEL_SCHEMA, ReadModelDatabase, ReadModelQueryable } from './read-model-database';
import { useSchema } from './schema-scope';

/**
 * Applies a batch of events (in global order, all after `from`) to one projection: the rows and
 * the checkpoint move in ONE transaction, so after a crash either both reflect the batch or
 * neither does. The projection's unqualified table names resolve to `schema`. Returns the new
 * checkpoint.
 */
export async function applyBatch(
  db: ReadModelDatabase,
  projection: Projection,
  events: readonly RecordedEvent[],
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
  events: readonly RecordedEvent[],
  from: bigint,
  upcast: Upcast,
  schema: string = READ_MODEL_SCHEMA,
): Promise<bigint> {
  if (events.length === 0) return from;
  const to = events[events.length - 1].position;
  await advanceCheckpoint(tx, projection, from, to, schema);
  // search_path is set before the first write only: a batch this read model ignores (most events,
  // for most read models, when live) costs no round trip beyond its checkpoint.
  let scoped = false;
  const scope = async () => {
    if (!scoped) await useSchema(tx, schema);
    scoped = true;
  };
  let changes: Change[] = [];
  const flush = async () => {
    if (changes.length === 0) return;
    if (!projection.write) throw new Error(`projection ${projection.name} returned changes but has no write()`);
    const batch = changes;
    changes = [];
    await scope();
    await projection.write(tx, batch);
  };
  for (const recorded of events) {
    const lifted = upcast(recorded.type, recorded.schemaVersion, recorded.data);
    // Most events are current: hand them over as they are (no copy per event and read model).
    const event = lifted.data === recorded.data && lifted.schemaVersion === recorded.schemaVersion
      ? recorded
      : { ...recorded, schemaVersion: lifted.schemaVersion, data: lifted.data };
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
  return to;
}
