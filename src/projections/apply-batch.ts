import type { RecordedEvent } from '../eventstore/event-store.port';
import type { Upcast } from '../shared/upcasters';
import { advanceCheckpoint } from './checkpoints';
import type { Projection } from './projection';
import { READ_MODEL_SCHEMA, ReadModelDatabase, ReadModelQueryable } from './read-model-database';
import { useSchema } from './schema-scope';
import { inlineStatement } from './sql';

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
 * swaps tables in one). Leaves search_path pointing at `schema` for the rest of the transaction.
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
  await useSchema(tx, schema);
  const script: string[] = [];
  for (const recorded of events) {
    const lifted = upcast(recorded.type, recorded.schemaVersion, recorded.data);
    const event = { ...recorded, schemaVersion: lifted.schemaVersion, data: lifted.data };
    for (const statement of projection.handle(event)) script.push(inlineStatement(statement));
  }
  // The statements run in order, in this transaction: each sees what the previous ones wrote.
  if (script.length > 0) await tx.exec(script.join(';\n'));
  return to;
}
