import type { EventStore, RecordedEvent, Subscription } from '../eventstore/event-store.port';
import { campaignUpcasters } from '../campaigns/campaign.upcasters';
import { Upcast, upcasterRegistry } from '../shared/upcasters';
import { applyBatch } from './apply-batch';
import { CheckpointConflictError, ensureProjectionSchema, readCheckpoint, readCheckpointRows, recordProjectionError } from './checkpoints';
import type { Projection } from './projection';
import { READ_MODEL_SCHEMA, ReadModelDatabase } from './read-model-database';
import { rebuildProjection } from './rebuild/rebuild-projection';
import type { RebuildProgress } from './rebuild/rebuild-progress';

/** `rebuilding`: a new version is being built beside the old one, which keeps serving. */
export type ProjectionState = 'stopped' | 'running' | 'failed' | 'rebuilding';

export interface ProjectionStatus {
  name: string;
  version: number;
  /** Position of the last event applied (stored with the rows). */
  checkpoint: bigint;
  /** Position of the last event in the log. */
  head: bigint;
  /** head - checkpoint: how many positions the read model is behind. */
  lag: bigint;
  state: ProjectionState;
  /** Why it stopped, when state is 'failed'. */
  error: string | null;
}

export interface ProjectionRunnerOptions {
  store: EventStore;
  db: ReadModelDatabase;
  projections: readonly Projection[];
  /** Most events per transaction. Default 500. */
  batchSize?: number;
  /** Lifts old event shapes to the current one before the handlers see them. */
  upcast?: Upcast;
  /** The schema the read models are written to (default siren_rm; a rebuild uses a shadow). */
  schema?: string;
  /** Told when a projection stops on an error (it is also in status()). */
  onFailure?: (projection: string, err: Error) => void;
  /** Told of a new version's background rebuild (see ProjectionWorker.start). */
  onRebuildProgress?: (progress: RebuildProgress) => void;
}

const NOT_YET = Symbol('not-yet');

/**
 * Runs each projection on its own catch-up subscription from its stored checkpoint. Events are
 * taken in batches — up to `batchSize`, or whatever the subscription has ready — and each batch's
 * rows and checkpoint are committed together. On an error the projection stops where it was
 * (nothing of the failed batch is kept, no event is skipped) and reports it; restart() resumes
 * it from its checkpoint.
 *
 * A projection whose stored checkpoint is moved ahead by someone else (a live rebuild's swap, a
 * second runner) resumes from there: rows and checkpoint always move together, so nothing is
 * skipped. A projection whose current version was never built but an older one was is first
 * rebuilt live (src/projections/rebuild) while the old version keeps serving.
 */
export class ProjectionRunner {
  private readonly workers: Map<string, ProjectionWorker>;

  constructor(private readonly options: ProjectionRunnerOptions) {
    const upcast = options.upcast ?? upcasterRegistry(campaignUpcasters);
    this.workers = new Map(
      options.projections.map((p) => [p.name, new ProjectionWorker(p, options, upcast, options.batchSize ?? 500)]),
    );
  }

  /**
   * Creates missing schemas and starts every projection that is not running, in order. One that
   * cannot start does not keep the others from starting; the first such error is thrown after.
   */
  async start(): Promise<void> {
    const errors: unknown[] = [];
    for (const worker of this.workers.values()) await worker.start().catch((err: unknown) => errors.push(err));
    if (errors.length > 0) throw errors[0];
  }

  async stop(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
  }

  /** Stops (if needed) and starts one projection again from its stored checkpoint. */
  async restart(name: string): Promise<void> {
    const worker = this.worker(name);
    await worker.stop();
    await worker.start();
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.options.store.headPosition();
    const result: ProjectionStatus[] = [];
    for (const w of this.workers.values()) {
      const checkpoint = await readCheckpoint(this.options.db, w.projection, this.options.schema).catch(() => w.checkpoint);
      result.push({
        name: w.projection.name,
        version: w.projection.version,
        checkpoint,
        head,
        lag: head > checkpoint ? head - checkpoint : 0n,
        state: w.state,
        error: w.error,
      });
    }
    return result;
  }

  /**
   * Resolves once every projection has applied the log up to `position` (e.g. the position an
   * append returned); rejects as soon as one has failed, or when the time runs out.
   */
  async waitFor(position: bigint, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const workers = [...this.workers.values()];
      const failed = workers.find((w) => w.state === 'failed');
      if (failed) throw new Error(`projection ${failed.projection.name} failed: ${failed.error}`);
      if (workers.every((w) => w.checkpoint >= position)) return;
      const left = deadline - Date.now();
      if (left <= 0) {
        const behind = workers.filter((w) => w.checkpoint < position).map((w) => `${w.projection.name}@${w.checkpoint}`);
        throw new Error(`projections not at ${position} after ${timeoutMs} ms: ${behind.join(', ')}`);
      }
      await Promise.race(workers.map((w) => w.changed()).concat(sleep(Math.min(left, 200))));
    }
  }

  private worker(name: string): ProjectionWorker {
    const worker = this.workers.get(name);
    if (!worker) throw new Error(`no projection named ${name}`);
    return worker;
  }
}

class ProjectionWorker {
  state: ProjectionState = 'stopped';
  error: string | null = null;
  checkpoint = 0n;
  private subscription: Subscription | null = null;
  private loop: Promise<void> | null = null;
  private rebuild: AbortController | null = null;
  private waiters: (() => void)[] = [];

  constructor(
    readonly projection: Projection,
    private readonly options: ProjectionRunnerOptions,
    private readonly upcast: Upcast,
    private readonly batchSize: number,
  ) {}

  async start(): Promise<void> {
    if (this.state === 'running' || this.state === 'rebuilding') return;
    this.error = null;
    try {
      if (await this.isNewVersion()) {
        this.state = 'rebuilding';
        const abort = new AbortController();
        this.rebuild = abort;
        this.loop = this.rebuildThenRun(abort.signal);
        return;
      }
      this.checkpoint = await ensureProjectionSchema(this.options.db, this.projection, this.options.schema);
      await recordProjectionError(this.options.db, this.projection, null, this.options.schema);
    } catch (err) {
      this.fail(err);
      throw err;
    }
    this.follow(this.checkpoint);
  }

  async stop(): Promise<void> {
    this.rebuild?.abort();
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.close();
    await this.loop;
    this.loop = null;
    this.rebuild = null;
    if (this.state === 'running' || this.state === 'rebuilding') this.state = 'stopped';
    this.notify();
  }

  /** Subscribes after `checkpoint` and applies the log from there. */
  private follow(checkpoint: bigint): void {
    this.checkpoint = checkpoint;
    const subscription = this.options.store.subscribeToAll({ after: checkpoint, batchSize: this.batchSize });
    this.subscription = subscription;
    this.state = 'running';
    this.loop = this.run(subscription);
  }

  /** No checkpoint for this version, one for another: the old version serves while this one builds. */
  private async isNewVersion(): Promise<boolean> {
    const rows = await readCheckpointRows(this.options.db, this.options.schema ?? READ_MODEL_SCHEMA, [this.projection.name]);
    return rows.length > 0 && !rows.some((r) => r.version === this.projection.version);
  }

  private async rebuildThenRun(signal: AbortSignal): Promise<void> {
    try {
      const { position } = await rebuildProjection({
        store: this.options.store, db: this.options.db, projection: this.projection, projections: this.options.projections,
        schema: this.options.schema, upcast: this.upcast, signal, onProgress: this.options.onRebuildProgress,
      });
      if (signal.aborted) return;
      this.rebuild = null;
      this.follow(position);
      this.notify();
    } catch (err) {
      if (signal.aborted) return; // stopped: the old version still serves; the next start rebuilds again
      this.rebuild = null;
      this.fail(err);
    }
  }

  /** Resolves at the next commit, failure or stop. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private async run(subscription: Subscription): Promise<void> {
    const events = subscription[Symbol.asyncIterator]();
    // An event requested while collecting the last batch that was not ready in time: it opens the
    // next batch (an iterator's next() cannot be taken back).
    let carried: Promise<IteratorResult<RecordedEvent>> | null = null;
    try {
      for (;;) {
        const first: IteratorResult<RecordedEvent> = await (carried ?? events.next());
        carried = null;
        if (first.done) return;
        const batch: RecordedEvent[] = [first.value];
        while (batch.length < this.batchSize) {
          // Take what is already buffered; an event that needs a read waits for the next batch.
          const next = events.next();
          const ready = await readyNow(next);
          if (ready === NOT_YET) {
            carried = next;
            break;
          }
          if (ready.done) break;
          batch.push(ready.value);
        }
        if (this.subscription !== subscription) return; // stopped meanwhile: write nothing more
        this.checkpoint = await applyBatch(this.options.db, this.projection, batch, this.checkpoint, this.upcast, this.options.schema);
        this.notify();
      }
    } catch (err) {
      await subscription.close().catch(() => undefined);
      const ahead = await this.movedAhead(err);
      if (this.subscription !== subscription) return; // stopped meanwhile
      if (ahead !== null) {
        // The rows up to `ahead` are already written (by a swap or another runner): go on from there.
        this.subscription = null;
        this.follow(ahead);
        this.notify();
        await this.loop;
        return;
      }
      this.subscription = null;
      this.fail(err);
    }
  }

  /** On a checkpoint conflict, the stored checkpoint if it is ahead of ours; else null. */
  private async movedAhead(err: unknown): Promise<bigint | null> {
    if (!(err instanceof CheckpointConflictError)) return null;
    const stored = await readCheckpoint(this.options.db, this.projection, this.options.schema).catch(() => null);
    return stored !== null && stored > this.checkpoint ? stored : null;
  }

  private fail(err: unknown): void {
    const error = toError(err);
    this.state = 'failed';
    this.error = error.message;
    this.notify();
    this.options.onFailure?.(this.projection.name, error);
    void recordProjectionError(this.options.db, this.projection, error.message, this.options.schema);
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** The iterator's result if it settles before any I/O could (buffered events), else NOT_YET. */
function readyNow<T>(p: Promise<T>): Promise<T | typeof NOT_YET> {
  return Promise.race([p, new Promise<typeof NOT_YET>((resolve) => setImmediate(() => resolve(NOT_YET)))]);
}

/** PGlite runs outside jest's realm, so its errors can fail `instanceof Error`: go by shape. */
function toError(err: unknown): Error {
  if (err instanceof Error) return err;
  const message = (err as { message?: unknown } | null)?.message;
  const error = new Error(typeof message === 'string' ? message : String(err));
  (error as Error & { cause?: unknown }).cause = err;
  return error;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
