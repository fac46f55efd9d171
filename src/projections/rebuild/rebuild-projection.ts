import type { EventStore } from '../../eventstore/event-store.port';
import { campaignUpcasters } from '../../campaigns/campaign.upcasters';
import { Upcast, upcasterRegistry } from '../../shared/upcasters';
import type { Projection } from '../projection';
import { READ_MODEL_SCHEMA, ReadModelDatabase } from '../read-model-database';
import { buildShadows, ShadowTarget } from './build-shadows';
import { RebuildProgress, progressMeter } from './rebuild-progress';
import { SwapPatience, swapPatiently } from './patient-swap';
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
  /** Events per page (and per transaction) while building the shadow. Default 2,000. */
  batchSize?: number;
  upcast?: Upcast;
  onProgress?: (progress: RebuildProgress) => void;
  /** Aborting stops the rebuild between batches; the live model is untouched. */
  signal?: AbortSignal;
  /** How long a swap may wait for the live tables, and how often it tries (patient-swap.ts). */
  swap?: Omit<SwapPatience, 'signal'>;
}

/** Several read models rebuilt together: the log is read once for all of them. */
export type RebuildManyOptions = Omit<RebuildOptions, 'projection'> & { targets: readonly Projection[] };

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
 * the last events in one transaction (swap.ts).
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildResult> {
  const { projection, ...rest } = options;
  const [result] = await rebuildProjections({ ...rest, targets: [projection] });
  return result;
}

/**
 * Rebuilds `targets` together: their shadow copies are built side by side from ONE read of the
 * log (build-shadows.ts), then each is swapped in on its own, one after the other (a reader sees
 * each read model old or new, never half-built). A leftover shadow of a crashed rebuild is
 * dropped first: a shadow is only a cache of the log, never the source of anything.
 * Progress is reported for the build as a whole (`projection` names them all), then per swap.
 */
export async function rebuildProjections(options: RebuildManyOptions): Promise<RebuildResult[]> {
  const { store, db, targets } = options;
  const live = options.schema ?? READ_MODEL_SCHEMA;
  const batchSize = options.batchSize ?? 2000;
  const upcast = options.upcast ?? upcasterRegistry(campaignUpcasters);
  const meter = progressMeter(targets.map((p) => p.name).join(', '), options.onProgress);
  // A projection that owns no tables (views over others') projects no events: nothing to build.
  const shadows: ShadowTarget[] = targets.filter((p) => p.tables.length > 0).map((projection) => ({ projection, shadow: shadowSchemaName(projection.name, live) }));
  let built = 0n;
  if (shadows.length > 0) {
    built = await buildShadows({
      store, db, targets: shadows, batchSize, upcast, signal: options.signal,
      onHead: (head) => meter.head(head),
      onPage: async (n, at) => meter.applied(n, at, await store.headPosition()),
    });
  }
  // One read model: one meter from the first event to the swap's last. Several: the build's
  // meter ends with the build, and each swap reports on its own.
  const single = targets.length === 1;
  if (!single) meter.phase('done', built);
  const results: RebuildResult[] = [];
  for (const projection of targets) {
    await yieldToEventLoop();
    options.signal?.throwIfAborted();
    const shadow = shadows.find((s) => s.projection === projection)?.shadow ?? null;
    const swap = single ? meter : progressMeter(projection.name, options.onProgress);
    swap.phase('swapping');
    let caughtUp = 0;
    const position = await swapPatiently(
      db,
      projection.name,
      (tx) => {
        caughtUp = 0;
        return swapIn(tx, {
          store, projection, projections: options.projections ?? targets, live, shadow, from: built, upcast, batchSize,
          onEvents: (n, at) => {
            caughtUp += n;
            swap.applied(n, at, at);
          },
        });
      },
      { ...options.swap, signal: options.signal },
      // A timed-out attempt rolled back what it caught up: the next one applies it again.
      () => swap.discard(caughtUp),
    );
    swap.phase('done', position);
    const events = single ? meter.events() : (shadow === null ? 0 : meter.events()) + swap.events();
    results.push({ projection: projection.name, version: projection.version, position, events, durationMs: meter.elapsedMs() });
  }
  return results;
}
