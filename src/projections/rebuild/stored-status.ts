import type { EventStore } from '../../eventstore/event-store.port';
import { readCheckpointRows } from '../checkpoints';
import type { Projection } from '../projection';
import { READ_MODEL_SCHEMA, ReadModelQueryable } from '../read-model-database';
import { shadowSchemaName } from './shadow-schema';

/**
 * What another process can tell of a projection from the read-model database alone:
 * - `up-to-date` / `behind`: the current version serves, at lag 0 / more;
 * - `failed`: its runner stopped on an error (recorded with the checkpoint) and has not restarted;
 * - `rebuilding`: a shadow copy is being built (or a crashed rebuild left one: the next drops it);
 * - `outdated`: an older version still serves; the current one is built by `siren start` or
 *   `siren projections rebuild`;
 * - `not-built`: nothing yet.
 */
export type StoredProjectionState = 'up-to-date' | 'behind' | 'failed' | 'rebuilding' | 'outdated' | 'not-built';

export interface StoredProjectionStatus {
  name: string;
  version: number;
  /** Position the serving copy reflects; null when nothing serves. */
  checkpoint: bigint | null;
  head: bigint;
  lag: bigint | null;
  state: StoredProjectionState;
  /** The version serving now, when it is not `version` (state outdated). */
  servingVersion: number | null;
  /** A rebuild's shadow position, while one is under way. */
  rebuildCheckpoint: bigint | null;
  error: string | null;
}

export async function readStoredStatus(
  db: ReadModelQueryable,
  store: EventStore,
  projections: readonly Projection[],
  schema: string = READ_MODEL_SCHEMA,
): Promise<StoredProjectionStatus[]> {
  const head = await store.headPosition();
  const rows = await readCheckpointRows(db, schema, projections.map((p) => p.name));
  const result: StoredProjectionStatus[] = [];
  for (const p of projections) {
    const mine = rows.filter((r) => r.name === p.name);
    const current = mine.find((r) => r.version === p.version);
    const serving = current ?? mine.sort((a, b) => b.version - a.version)[0];
    const [shadow] = await readCheckpointRows(db, shadowSchemaName(p.name, schema), [p.name]);
    const checkpoint = serving ? serving.position : null;
    const lag = checkpoint === null ? null : head > checkpoint ? head - checkpoint : 0n;
    const state: StoredProjectionState = shadow
      ? 'rebuilding'
      : current?.error
        ? 'failed'
        : !serving
          ? 'not-built'
          : !current
            ? 'outdated'
            : lag === 0n
              ? 'up-to-date'
              : 'behind';
    result.push({
      name: p.name,
      version: p.version,
      checkpoint,
      head,
      lag,
      state,
      servingVersion: serving && serving.version !== p.version ? serving.version : null,
      rebuildCheckpoint: shadow ? shadow.position : null,
      error: current?.error ?? null,
    });
  }
  return result;
}
