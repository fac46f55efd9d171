import type { EventStore, RecordedEvent, Subscription } from '../eventstore/event-store.port';
import { campaignUpcasters } from '../campaigns/campaign.upcasters';
import { noUpcast, Upcast, upcasterRegistry } from '../shared/upcasters';
import type { PollingSubscription } from '../eventstore/postgres/subscription';
import { applyEventsIn, planEvents, upcastEvent } from './apply-batch';
import { advanceCheckpointsStatement, CheckpointConflictError, ensureProjectionSchema, readCheckpoint, readCheckpointRows, notMoved, recordProjectionError } from './checkpoints';
import type { Projection } from './projection';
import { READ_MODEL_SCHEMA, ReadModelDatabase } from './read-model-database';
import { rebuildProjection } from './rebuild/rebuild-projection';
import { batchSettings, schemaAlreadySet } from './schema-scope';
import { PlanFoldError, runPlans, WritePlan } from './write-plan';
import type { RebuildProgress } from './rebuild/rebuild-progress';
import type { SwapWait } from './rebuild/patient-swap';

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
  /** Most events per transaction (all projections' rows of a batch commit together). Default 2,000. */
  batchSize?: number;
  /** Lifts old event shapes to the current one before the handlers see them. */
  upcast?: Upcast;
  /** The schema the read models are written to (default siren_rm; a rebuild uses a shadow). */
  schema?: string;
  /** Told when a projection stops on an error (it is also in status()). */
  onFailure?: (projection: string, err: Error) => void;
  /** Told of a new version's background rebuild (see ProjectionRunner.prepare). */
  onRebuildProgress?: (progress: RebuildProgress) => void;
  /** Told when a background rebuild's swap waited its lock timeout for the live tables and will try again. */
  onRebuildSwapWait?: (wait: SwapWait) => void;
}

const NOT_YET = Symbol('not-yet');

/**
 * Runs the projections on ONE catch-up subscription, from the lowest checkpoint among them: the
 * log is read and parsed once, and each batch — up to `batchSize` events, or whatever the
 * subscription has ready or is reading — is applied to every projection whose checkpoint is below its events in
 * ONE transaction (each projection's rows and compare-and-set checkpoint, rows and checkpoints
 * committed together). Each projection skips the events at or below its own checkpoint. The
 * projections' reads for a batch go in one statement and their writes in one more (write-plan.ts):
 * a live batch is a few events, and its cost is its round trips.
 *
 * On an error the projection that threw stops where it was (the transaction is rolled back, so
 * nothing of the failed batch is kept, no event is skipped) and reports it; the batch is applied
 * again to the others. restart() resumes it from its checkpoint: when that is behind the events
 * the subscription has handed out, the subscription starts again from the lowest checkpoint (the
 * others skip what they already have).
 *
 * A projection whose stored checkpoint is moved ahead by someone else (a live rebuild's swap, a
 * second runner) resumes from there: rows and checkpoint always move together, so nothing is
 * skipped. A projection whose current version was never built but an older one was is first
 * rebuilt live (src/projections/rebuild) while the old version keeps serving, then joins.
 */
export class ProjectionRunner {
  private readonly members: Map<string, Member>;
  private readonly upcast: Upcast;
  private readonly batchSize: number;
  private subscription: Subscription | null = null;
  private loop: Promise<void> | null = null;
  /** Position of the last event the subscription handed out (or where it started). */
  private pulled = 0n;
  /** The batch being applied, if any (restart waits for it before reading a checkpoint). */
  private inflight: Promise<unknown> = Promise.resolve();
  /** start/stop/restart/join, one at a time: each may close and reopen the subscription. */
  private control: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.upcast = options.upcast ?? upcasterRegistry(campaignUpcasters);
    this.batchSize = options.batchSize ?? 2000;
    this.members = new Map(options.projections.map((p) => [p.name, new Member(p)]));
  }

  /**
   * Creates missing schemas and starts every projection that is not running, in order. One that
   * cannot start does not keep the others from starting; the first such error is thrown after.
   */
  async start(): Promise<void> {
    await this.serialized(async () => {
      const errors: unknown[] = [];
      for (const member of this.members.values()) await this.prepare(member).catch((err: unknown) => errors.push(err));
      await this.follow();
      if (errors.length > 0) throw errors[0];
    });
  }

  async stop(): Promise<void> {
    await this.serialized(async () => {
      const rebuilds = [...this.members.values()].map((m) => m.stopRebuild());
      await this.closeSubscription();
      await Promise.all(rebuilds);
      for (const m of this.members.values()) {
        if (m.state === 'running' || m.state === 'rebuilding') m.state = 'stopped';
        m.notify();
      }
    });
  }

  /** Stops (if needed) and starts one projection again from its stored checkpoint. */
  async restart(name: string): Promise<void> {
    const member = this.member(name);
    await this.serialized(async () => {
      await member.stopRebuild();
      if (member.state === 'running') member.state = 'stopped';
      await this.inflight; // a batch that included it commits (or not) before its checkpoint is read
      member.notify();
      await this.prepare(member);
      await this.follow();
    });
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.options.store.headPosition();
    const result: ProjectionStatus[] = [];
    for (const m of this.members.values()) {
      const checkpoint = await readCheckpoint(this.options.db, m.projection, this.options.schema).catch(() => m.checkpoint);
      result.push({
        name: m.projection.name,
        version: m.projection.version,
        checkpoint,
        head,
        lag: head > checkpoint ? head - checkpoint : 0n,
        state: m.state,
        error: m.error,
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
      const members = [...this.members.values()];
      const failed = members.find((m) => m.state === 'failed');
      if (failed) throw new Error(`projection ${failed.projection.name} failed: ${failed.error}`);
      if (members.every((m) => m.checkpoint >= position)) return;
      const left = deadline - Date.now();
      if (left <= 0) {
        const behind = members.filter((m) => m.checkpoint < position).map((m) => `${m.projection.name}@${m.checkpoint}`);
        throw new Error(`projections not at ${position} after ${timeoutMs} ms: ${behind.join(', ')}`);
      }
      await Promise.race(members.map((m) => m.changed()).concat(sleep(Math.min(left, 200))));
    }
  }

  private member(name: string): Member {
    const member = this.members.get(name);
    if (!member) throw new Error(`no projection named ${name}`);
    return member;
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.control.then(fn);
    this.control = result.catch(() => undefined);
    return result;
  }

  /**
   * Makes a stopped or failed projection ready to follow the log: its schema and checkpoint (it is
   * then 'running' and joins at the next follow()), or a background rebuild of a new version.
   */
  private async prepare(member: Member): Promise<void> {
    if (member.state === 'running' || member.state === 'rebuilding') return;
    member.error = null;
    try {
      if (await this.isNewVersion(member.projection)) {
        member.state = 'rebuilding';
        const abort = new AbortController();
        member.rebuild = { abort, done: this.rebuildThenJoin(member, abort.signal) };
        return;
      }
      member.checkpoint = await ensureProjectionSchema(this.options.db, member.projection, this.options.schema);
      await recordProjectionError(this.options.db, member.projection, null, this.options.schema);
      member.state = 'running';
    } catch (err) {
      this.fail(member, err);
      throw err;
    }
  }

  /** No checkpoint for this version, one for another: the old version serves while this one builds. */
  private async isNewVersion(projection: Projection): Promise<boolean> {
    const rows = await readCheckpointRows(this.options.db, this.options.schema ?? READ_MODEL_SCHEMA, [projection.name]);
    return rows.length > 0 && !rows.some((r) => r.version === projection.version);
  }

  private async rebuildThenJoin(member: Member, signal: AbortSignal): Promise<void> {
    try {
      const { position } = await rebuildProjection({
        store: this.options.store, db: this.options.db, projection: member.projection, projections: this.options.projections,
        schema: this.options.schema, upcast: this.upcast, signal, onProgress: this.options.onRebuildProgress,
        swap: { onWait: this.options.onRebuildSwapWait },
      });
      if (signal.aborted) return;
      member.rebuild = null;
      member.checkpoint = position;
      member.state = 'running';
      member.notify();
      // Not awaited by stop() (which aborts first and waits for this): join on the control queue.
      void this.serialized(() => (member.state === 'running' ? this.follow() : Promise.resolve()));
    } catch (err) {
      if (signal.aborted) return; // stopped: the old version still serves; the next start rebuilds again
      member.rebuild = null;
      this.fail(member, err);
    }
  }

  /**
   * Makes the subscription cover every running projection: kept when all of them are at or past
   * what it has handed out, else (re)opened after the lowest checkpoint. None running: closed.
   */
  private async follow(): Promise<void> {
    const running = [...this.members.values()].filter((m) => m.state === 'running');
    if (running.length === 0) return this.closeSubscription();
    const lowest = running.reduce((min, m) => (m.checkpoint < min ? m.checkpoint : min), running[0].checkpoint);
    if (this.subscription !== null && lowest >= this.pulled) return;
    await this.closeSubscription();
    const subscription = this.options.store.subscribeToAll({ after: lowest, batchSize: this.batchSize });
    this.subscription = subscription;
    this.pulled = lowest;
    this.loop = this.run(subscription);
  }

  private async closeSubscription(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.close();
    await this.loop;
    this.loop = null;
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
        // One read of the log per batch may be waited for: see readInFlight.
        let mayWaitForRead = true;
        while (batch.length < this.batchSize) {
          // Take what is already buffered; an event that needs new appends waits for the next batch.
          // Only a next() this batch will wait for (see PollingSubscription.nextWaitsFor).
          const waits = nextWaitsFor(subscription);
          if (waits === 'appends' || (waits === 'read' && !mayWaitForRead)) break;
          const next = events.next();
          let ready = await readyNow(next);
          const read = ready === NOT_YET && mayWaitForRead ? readInFlight(subscription) : null;
          if (read) {
            mayWaitForRead = false;
            await Promise.race([next, read]);
            ready = await readyNow(next);
          }
          if (ready === NOT_YET) {
            carried = next;
            break;
          }
          if (ready.done) break;
          batch.push(ready.value);
        }
        if (this.subscription !== subscription) return; // stopped meanwhile: write nothing more
        const from = this.pulled;
        this.pulled = batch[batch.length - 1].position;
        const applied = this.applyToAll(subscription, from, batch);
        this.inflight = applied.catch(() => undefined);
        await applied;
        if (![...this.members.values()].some((m) => m.state === 'running')) {
          // Nothing left to serve (all failed): stop reading; a restart opens it again.
          this.subscription = null;
          await subscription.close();
          return;
        }
      }
    } catch (err) {
      // The subscription itself failed (reading the log): every projection it served stops.
      if (this.subscription !== subscription) return;
      this.subscription = null;
      await subscription.close().catch(() => undefined);
      for (const m of this.members.values()) if (m.state === 'running') this.fail(m, err);
    }
  }

  /**
   * Applies `batch` (the events after `from`) to every running projection whose checkpoint is in
   * [from, last event), in one
   * transaction. When one of them throws, the transaction is rolled back and it stops (or, on a
   * checkpoint moved ahead by someone else, goes on from there); the batch is then applied again
   * to the rest.
   */
  private async applyToAll(subscription: Subscription, from: bigint, batch: readonly RecordedEvent[]): Promise<void> {
    const last = batch[batch.length - 1].position;
    const lifted = batch.map((e) => upcastEvent(e, this.upcast));
    // All projections' reads in one statement and their writes in another; after one of those
    // failed, the batch is applied again one projection at a time, to learn whose it was.
    let together = true;
    for (;;) {
      if (this.subscription !== subscription) return;
      // A projection behind `from` (rejoining) would miss the events before the batch: follow()
      // opens the subscription again from its checkpoint.
      const members = [...this.members.values()].filter((m) => m.state === 'running' && m.checkpoint >= from && m.checkpoint < last);
      if (members.length === 0) return;
      const plans = together ? await this.plan(members, lifted) : null;
      if (plans === 'failed') continue;
      let current: Member | null = null;
      try {
        // Not waiting for the WAL flush matters for latency here: the batch holds an xid until
        // COMMIT ends, and xids are cluster-wide, so no event appended meanwhile is readable until
        // then (gap-safety.ts). The folds' pure part ran before BEGIN, for the same reason.
        // The checkpoints move first, with the BEGIN, in the same round trip.
        const moves = members.map((m) => ({ projection: m.projection, expected: m.checkpoint, next: last }));
        await this.options.db.transaction(async (tx, moved) => {
          const stale = notMoved(moves, moved);
          if (stale.length > 0) throw new StaleCheckpoints(members.filter((m) => stale.includes(m.projection.name)));
          if (plans) return runPlans(tx, plans);
          for (const m of members) {
            current = m;
            await applyEventsIn(tx, m.projection, after(lifted, m.checkpoint), noUpcast, schemaAlreadySet);
          }
          current = null;
        }, batchSettings(this.options.schema ?? READ_MODEL_SCHEMA), advanceCheckpointsStatement(moves, this.options.schema));
      } catch (err) {
        if (err instanceof StaleCheckpoints) {
          for (const m of err.members) await this.recover(m, new CheckpointConflictError(m.projection.name, m.checkpoint));
        } else if (err instanceof PlanFoldError) {
          await this.recover(members[err.index], err.cause);
        } else if (plans) {
          together = false;
        } else {
          await this.recover(current ?? members, err);
        }
        continue;
      }
      for (const m of members) {
        m.checkpoint = last;
        m.notify();
      }
      return;
    }
  }

  /**
   * Each member's plan for the batch, in `members`' order; null when one of them returns plain
   * Statements (the batch then goes one projection at a time). A handler or plan that throws stops
   * its projection: 'failed', and the caller starts over with the others.
   */
  private async plan(members: readonly Member[], events: readonly RecordedEvent[]): Promise<WritePlan[] | null | 'failed'> {
    const plans: WritePlan[] = [];
    for (const m of members) {
      let plan: WritePlan | null;
      try {
        plan = planEvents(m.projection, after(events, m.checkpoint));
      } catch (err) {
        await this.recover(m, err);
        return 'failed';
      }
      if (plan === null) return null;
      plans.push(plan);
    }
    return plans;
  }

  /**
   * After a rolled-back batch: the projection that threw goes on from its stored checkpoint when
   * someone else moved it ahead, else stops. An error outside any projection (BEGIN, COMMIT) stops
   * them all: which one it belongs to cannot be told.
   */
  private async recover(culprit: Member | Member[], err: unknown): Promise<void> {
    for (const m of Array.isArray(culprit) ? culprit : [culprit]) {
      const ahead = await this.movedAhead(m, err);
      if (m.state !== 'running') continue; // restarted or stopped meanwhile
      if (ahead !== null) m.checkpoint = ahead; // the rows up to `ahead` are already written
      else this.fail(m, err);
    }
  }

  /**
   * On a checkpoint conflict, the stored checkpoint if it is not behind ours; else null. Equal
   * counts too: a swap replaces the checkpoint row (delete + insert), so a batch that waited on
   * the old row's lock finds no row to update even when the swapped-in model stands exactly where
   * ours did; the batch is then simply applied again against the new row.
   */
  private async movedAhead(member: Member, err: unknown): Promise<bigint | null> {
    if (!(err instanceof CheckpointConflictError) || err.projection !== member.projection.name) return null;
    const stored = await readCheckpoint(this.options.db, member.projection, this.options.schema).catch(() => null);
    return stored !== null && stored >= member.checkpoint ? stored : null;
  }

  private fail(member: Member, err: unknown): void {
    const error = toError(err);
    member.state = 'failed';
    member.error = error.message;
    member.notify();
    this.options.onFailure?.(member.projection.name, error);
    void recordProjectionError(this.options.db, member.projection, error.message, this.options.schema);
  }
}

/** Thrown inside a batch's transaction: these projections' checkpoints were not where we left them. */
class StaleCheckpoints extends Error {
  constructor(readonly members: readonly Member[]) {
    super(`checkpoint moved: ${members.map((m) => m.projection.name).join(', ')}`);
  }
}

/** One projection of a runner: where it is, and who waits for it to move. */
class Member {
  state: ProjectionState = 'stopped';
  error: string | null = null;
  checkpoint = 0n;
  rebuild: { abort: AbortController; done: Promise<void> } | null = null;
  private waiters: (() => void)[] = [];

  constructor(readonly projection: Projection) {}

  /** Aborts a background rebuild and waits for it to end. */
  async stopRebuild(): Promise<void> {
    const rebuild = this.rebuild;
    if (!rebuild) return;
    rebuild.abort.abort();
    await rebuild.done;
    this.rebuild = null;
    if (this.state === 'rebuilding') this.state = 'stopped';
  }

  /** Resolves at the next commit, failure or stop. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** The events of `events` (in position order) after `position`. */
function after(events: readonly RecordedEvent[], position: bigint): readonly RecordedEvent[] {
  if (events.length === 0 || events[0].position > position) return events;
  const i = events.findIndex((e) => e.position > position);
  return i < 0 ? [] : events.slice(i);
}

/**
 * When `subscription` is reading the log for the next() just made, that read: worth waiting for
 * once per batch. After a batch commits, the next one would otherwise start with only what was
 * read while it ran, and leave what was appended meanwhile to the batch after it: on PostgreSQL
 * those events only become readable once the batch's transaction ends (it holds an xid, and the
 * readable horizon is cluster-wide, see gap-safety.ts), so a read right after the commit is what
 * finds them. Never a wait for new appends: a subscription waiting for those reports no read.
 */
function readInFlight(subscription: Subscription): Promise<void> | null {
  const reads = subscription as Subscription & Partial<Pick<PollingSubscription, 'readInFlight'>>;
  return reads.readInFlight?.() ?? null;
}

/** What a next() would wait for, when the subscription can tell (PollingSubscription.nextWaitsFor). */
function nextWaitsFor(subscription: Subscription): 'nothing' | 'read' | 'appends' | undefined {
  const peek = subscription as Subscription & Partial<Pick<PollingSubscription, 'nextWaitsFor'>>;
  return peek.nextWaitsFor?.();
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
