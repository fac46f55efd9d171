import type { EventStore, RecordedEvent, Subscription } from '../eventstore/event-store.port';
import { campaignUpcasters } from '../campaigns/campaign.upcasters';
import { Upcast, upcasterRegistry } from '../shared/upcasters';
import { applyBatch } from './apply-batch';
import { ensureProjectionSchema, readCheckpoint } from './checkpoints';
import type { Projection } from './projection';
import type { ReadModelDatabase } from './read-model-database';

export type ProjectionState = 'stopped' | 'running' | 'failed';

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
}

const NOT_YET = Symbol('not-yet');

/**
 * Runs each projection on its own catch-up subscription from its stored checkpoint. Events are
 * taken in batches — up to `batchSize`, or whatever the subscription has ready — and each batch's
 * rows and checkpoint are committed together. On an error the projection stops where it was
 * (nothing of the failed batch is kept, no event is skipped) and reports it; restart() resumes
 * it from its checkpoint.
 */
export class ProjectionRunner {
  private readonly workers: Map<string, ProjectionWorker>;

  constructor(private readonly options: ProjectionRunnerOptions) {
    const upcast = options.upcast ?? upcasterRegistry(campaignUpcasters);
    this.workers = new Map(
      options.projections.map((p) => [p.name, new ProjectionWorker(p, options, upcast, options.batchSize ?? 500)]),
    );
  }

  /** Creates missing schemas and starts every projection that is not running. */
  async start(): Promise<void> {
    for (const worker of this.workers.values()) await worker.start();
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
  private waiters: (() => void)[] = [];

  constructor(
    readonly projection: Projection,
    private readonly options: ProjectionRunnerOptions,
    private readonly upcast: Upcast,
    private readonly batchSize: number,
  ) {}

  async start(): Promise<void> {
    if (this.state === 'running') return;
    this.error = null;
    try {
      this.checkpoint = await ensureProjectionSchema(this.options.db, this.projection, this.options.schema);
    } catch (err) {
      this.fail(err);
      throw err;
    }
    const subscription = this.options.store.subscribeToAll({ after: this.checkpoint, batchSize: this.batchSize });
    this.subscription = subscription;
    this.state = 'running';
    this.loop = this.run(subscription);
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.close();
    await this.loop;
    this.loop = null;
    if (this.state === 'running') this.state = 'stopped';
    this.notify();
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
      this.fail(err);
      if (this.subscription === subscription) this.subscription = null;
      await subscription.close().catch(() => undefined);
    }
  }

  private fail(err: unknown): void {
    const error = toError(err);
    this.state = 'failed';
    this.error = error.message;
    this.notify();
    this.options.onFailure?.(this.projection.name, error);
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
