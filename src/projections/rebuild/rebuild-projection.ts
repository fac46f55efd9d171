import type { EventStore } from '../../eventstore/event-store.port';
import { campaignUpcasters } from '../../campaigns/campaign.upcasters';
import { Upcast, upcasterRegistry } from '../../shared/upcasters';
import { applyBatch } from '../apply-batch';
import { ensureProjectionSchema } from '../checkpoints';
import type { Projection } from '../projection';
import { READ_MODEL_SCHEMA, ReadModelDatabase } from '../read-model-database';
import { RebuildProgress, progressMeter } from './rebuild-progress';
import { shadowSchemaName } from './shadow-schema';
import { swapIn } from './swap';
import { yieldToEventLoop } from './yield-to-event-loop';

export interface RebuildOptions {
  store: EventStore;
  db: ReadModelDatabase;
  projection: Projection;
  /** Every projection Siren knows (default: just this one): owners of views over its tables. */
  projections?: readonly Projection[];
  /** The live schema (default siren_rm). */
  schema?: string;
  /** Events per transaction while building the shadow. Default 2,000. */
  batchSize?: number;
  upcast?: Upcast;
  onProgress?: (progress: RebuildProgress) => void;
  /** Aborting stops the rebuild between batches; the live model is untouched. */
  signal?: AbortSignal;
}

export interface RebuildResult {
  projection: string;
  version: number;
  /** The position the swapped-in model reflects. */
  position: bigint;
  events: number;
  durationMs: number;
}

/**
 * Live rebuild (M12): builds `projection` from position 0 into its shadow schema while the live
 * copy keeps serving (and its runner keeps applying new events), then swaps the shadow in with
 * the last events in one transaction (swap.ts). A leftover shadow of a crashed rebuild is dropped
 * first: the shadow is only a cache of the log, never the source of anything.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildResult> {
  const { store, db, projection } = options;
  const live = options.schema ?? READ_MODEL_SCHEMA;
  const batchSize = options.batchSize ?? 2000;
  const upcast = options.upcast ?? upcasterRegistry(campaignUpcasters);
  const meter = progressMeter(projection.name, options.onProgress);
  // A projection that owns no tables (views over others') projects no events: nothing to build.
  const shadow = projection.tables.length > 0 ? shadowSchemaName(projection.name, live) : null;
  let position = 0n;
  if (shadow !== null) {
    await db.exec(`DROP SCHEMA IF EXISTS ${shadow} CASCADE`);
    await ensureProjectionSchema(db, projection, shadow);
    meter.head(await store.headPosition());
    for (;;) {
      await yieldToEventLoop();
      options.signal?.throwIfAborted();
      const page = await store.readAll({ after: position, maxCount: batchSize });
      if (page.length === 0) break;
      position = await applyBatch(db, projection, page, position, upcast, shadow);
      meter.applied(page.length, position, await store.headPosition());
      // A short page means we are at the head as of that read: what is left goes in the swap.
      if (page.length < batchSize) break;
    }
  }
  await yieldToEventLoop();
  options.signal?.throwIfAborted();
  meter.phase('swapping');
  position = await db.transaction((tx) =>
    swapIn(tx, {
      store, projection, projections: options.projections ?? [projection], live, shadow, from: position, upcast, batchSize,
      onEvents: (n, at) => meter.applied(n, at, at),
    }),
  );
  meter.phase('done', position);
  return { projection: projection.name, version: projection.version, position, events: meter.events(), durationMs: meter.elapsedMs() };
}
