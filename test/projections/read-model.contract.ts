import {
  allProjections,
  applyBatch,
  Change,
  CheckpointConflictError,
  ensureProjectionSchema,
  Projection,
  ProjectionRunner,
  readCheckpoint,
  ReadModelDatabase,
  setCheckpoint,
} from '../../src/projections';
import { COUNTER_COLUMNS } from '../../src/projections/campaigns.projection';
import { noUpcast, upcasterRegistry } from '../../src/shared/upcasters';
import { campaignUpcasters } from '../../src/campaigns/campaign.upcasters';
import type { ReadModelFixture } from './read-model-fixtures';
import { append, appendScenario, CAMPAIGN, OLD_CAMPAIGN, OLD_NAME } from './scenario';


type Snapshot = Record<string, unknown[]>;
const upcast = upcasterRegistry(campaignUpcasters);

/** Every table of every projection, rows in key order, values made comparable. */
export async function snapshot(db: ReadModelDatabase, projections: readonly Projection[]): Promise<Snapshot> {
  const result: Snapshot = {};
  for (const p of projections) {
    for (const table of p.tables) {
      const rows = await db.query(`SELECT * FROM siren_rm.${table} ORDER BY 1, 2`);
      result[table] = rows.map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v === null ? null : String(v)])),
      );
    }
  }
  return result;
}

/**
 * The read-model suite, run on PGlite and on PostgreSQL. `open` gives a fresh event store and a
 * fresh read-model database (nothing shared with other tests).
 */
export function readModelContract(label: string, open: () => Promise<ReadModelFixture>): void {
  describe(`read models on ${label}`, () => {
    let fx: ReadModelFixture;
    let runner: ProjectionRunner | undefined;
    const projections = allProjections();
    beforeEach(async () => {
      fx = await open();
    });
    afterEach(async () => {
      await runner?.stop();
      runner = undefined;
      await fx.close();
    });

    const startRunner = async (opts: { batchSize?: number; projections?: Projection[] } = {}) => {
      runner = new ProjectionRunner({ store: fx.store, db: fx.db, projections: opts.projections ?? projections, batchSize: opts.batchSize });
      await runner.start();
      return runner;
    };

    it('projects calls, DTMF history and campaign counters from recorded events', async () => {
      const last = await appendScenario(fx.store);
      const r = await startRunner();
      await r.waitFor(last.position);

      const calls = await fx.db.query<Record<string, unknown>>('SELECT * FROM siren_rm.calls_v1 ORDER BY call_id');
      expect(calls.map((c) => c.call_id)).toEqual(['A', 'B', 'C', 'D']);
      const [a, b, c, d] = calls;
      expect(a).toMatchObject({
        campaign_id: CAMPAIGN, contact_id: 'k1', agent_id: 'ag-1', phone: '+15550000001', attempt: 1, tracking_id: 'T.A',
        kind: 'autodial', route: 'us', trunk: 'tr-b', caller_id: '+15559990000', channel: 'PJSIP/tr-b-1', unique_id: '1.1',
        status: 'hung-up', billable_seconds: 13, cause: 16, cause_text: null, disposition: 'answered', amd: null, digits: '121',
      });
      expect(Number(a.ring_seconds)).toBe(6);
      expect(Number(a.talk_seconds)).toBe(12.4);
      expect((a.requested_at as Date).toISOString()).toBe('2026-11-20T09:00:03.000Z');
      expect((a.originated_at as Date).toISOString()).toBe('2026-11-20T09:00:04.000Z');
      expect((a.answered_at as Date).toISOString()).toBe('2026-11-20T09:00:09.000Z');
      expect((a.hung_up_at as Date).toISOString()).toBe('2026-11-20T09:00:21.000Z');
      expect(b).toMatchObject({ status: 'hung-up', cause: 17, cause_text: 'User busy', disposition: 'busy', answered_at: null, digits: '' });
      expect((b.retry_not_before as Date).toISOString()).toBe('2026-11-20T09:10:00.000Z');
      expect(c).toMatchObject({ status: 'originate-failed', disposition: 'originate-failed', failure_reason: 'trunk down', hung_up_at: null, trunk: 'tr-a' });
      expect(d).toMatchObject({ campaign_id: null, kind: 'agent-first', amd: 'machine', disposition: 'machine', billable_seconds: 4 });
      const positions = (await fx.store.readStream('call-A')).map((e) => e.position);
      expect(BigInt(String(a.last_position))).toBe(positions[positions.length - 1]);

      const dtmf = await fx.db.query<Record<string, unknown>>('SELECT call_id, seq, digit, source FROM siren_rm.call_dtmf_v1 ORDER BY call_id, seq');
      expect(dtmf).toEqual([
        { call_id: 'A', seq: 1, digit: '1', source: 'dtmf' },
        { call_id: 'A', seq: 2, digit: '2', source: 'userevent' },
        { call_id: 'A', seq: 3, digit: '1', source: 'dtmf' },
      ]);

      const campaigns = await fx.db.query<Record<string, unknown>>('SELECT * FROM siren_rm.campaigns_v1 ORDER BY campaign_id');
      expect(campaigns.map((x) => x.campaign_id)).toEqual([CAMPAIGN, OLD_CAMPAIGN]);
      expect(campaigns[0]).toMatchObject({
        name: 'Spring promo', agent_id: 'ag-1', time_zone: 'America/New_York', window_start: '09:00', window_end: '20:00',
        route: 'us', max_concurrent_calls: 5, max_attempts: 4, state: 'running', contacts: 3,
        calls_total: 3, calls_dialing: 0, calls_talking: 0, calls_ended: 3, calls_answered: 1, pressed_one: 1, retries_scheduled: 1,
        disposition_answered: 1, disposition_busy: 1, disposition_originate_failed: 1, disposition_machine: 0, disposition_no_answer: 0,
      });
      expect(Number(campaigns[0].talk_seconds)).toBe(12.4);
      expect(Number(campaigns[0].billable_seconds)).toBe(13);
      expect(campaigns[0].paused_at).not.toBeNull();
      // v1 CampaignCreated (before retry policies) is upcast: the default policy's 3 attempts.
      expect(campaigns[1]).toMatchObject({ name: OLD_NAME, state: 'created', max_attempts: 3, calls_total: 0 });
    });

    it('keeps live counters while calls are in progress', async () => {
      const c = `campaign-${CAMPAIGN}`;
      await append(fx.store, c, 'CampaignCreated', { campaignId: CAMPAIGN, name: 'n', agentId: 'ag', timeZone: 'UTC', callingWindow: { start: '00:00', end: '23:59' }, maxConcurrentCalls: 2, route: 'us', at: '2026-11-20T09:00:00Z' }, 1);
      const r = await startRunner({ projections: [projections[2]] });
      const counters = async () => (await fx.db.query<Record<string, number>>('SELECT calls_total, calls_dialing, calls_talking, calls_ended FROM siren_rm.campaigns_v1'))[0];
      for (const id of ['x', 'y']) {
        await append(fx.store, `call-${id}`, 'CallRequested', { callId: id, campaignId: CAMPAIGN, contactId: id, agentId: 'ag', phone: '+1555', attempt: 1, trackingId: id, kind: 'autodial', at: '2026-11-20T09:00:01Z' });
      }
      await r.waitFor(await fx.store.headPosition());
      expect(await counters()).toEqual({ calls_total: 2, calls_dialing: 2, calls_talking: 0, calls_ended: 0 });
      await r.waitFor((await append(fx.store, 'call-x', 'CallAnswered', { callId: 'x', at: '2026-11-20T09:00:05Z' })).position);
      expect(await counters()).toEqual({ calls_total: 2, calls_dialing: 1, calls_talking: 1, calls_ended: 0 });
      const hangup = { cause: 16, disposition: 'answered', ringSeconds: 1, talkSeconds: 1, billableSeconds: 1, durationSeconds: 2, at: '2026-11-20T09:00:09Z' };
      await r.waitFor((await append(fx.store, 'call-x', 'CallHungUp', { callId: 'x', ...hangup })).position);
      expect(await counters()).toEqual({ calls_total: 2, calls_dialing: 1, calls_talking: 0, calls_ended: 1 });
    });

    it('shows events appended after the runner started (live path) and reports status and lag', async () => {
      const r = await startRunner({ batchSize: 4 });
      const before = await r.status();
      expect(before.map((s) => [s.name, s.version, s.state, s.error])).toEqual([
        ['calls', 1, 'running', null], ['call_dtmf', 1, 'running', null], ['campaigns', 1, 'running', null],
        ['agents', 1, 'running', null], ['autodial_responses', 1, 'running', null], ['campaign_stats_hourly', 1, 'running', null],
        ['reports', 1, 'running', null],
      ]);
      const last = await appendScenario(fx.store);
      // Bounded poll: the rows must appear on their own, within the timeout.
      const deadline = Date.now() + 10_000;
      let count = 0;
      while (Date.now() < deadline) {
        count = Number((await fx.db.query<{ n: unknown }>('SELECT count(*) AS n FROM siren_rm.call_dtmf_v1'))[0].n);
        if (count === 3) break;
        await new Promise((res) => setTimeout(res, 20));
      }
      expect(count).toBe(3);
      await r.waitFor(last.position);
      for (const s of await r.status()) {
        expect(s).toMatchObject({ checkpoint: last.position, head: last.position, lag: 0n, state: 'running', error: null });
      }
      await r.stop();
      const more = await append(fx.store, 'call-E', 'CallRequested', { callId: 'E', agentId: 'a', phone: '+1', attempt: 1, trackingId: 'E', kind: 'autodial', at: '2026-11-20T10:00:00Z' });
      const stopped = await r.status();
      expect(stopped[0]).toMatchObject({ state: 'stopped', checkpoint: last.position, head: more.position, lag: more.position - last.position });
    });

    it('processes events in batches: up to batchSize per transaction, or what is available', async () => {
      const last = await appendScenario(fx.store);
      const n = (await fx.store.readAll()).length;
      for (const [batchSize, expected] of [[500, 1], [4, Math.ceil(n / 4)]] as const) {
        let transactions = 0;
        const counting: ReadModelDatabase = {
          query: (sql, params) => fx.db.query(sql, params),
          exec: (sql) => fx.db.exec(sql),
          transaction: (fn, settings, opening) => {
            transactions += 1;
            return fx.db.transaction(fn, settings, opening);
          },
          close: () => fx.db.close(),
        };
        const p = { ...projections[0], name: `calls_batch_${batchSize}` };
        const r = new ProjectionRunner({ store: fx.store, db: counting, projections: [p], batchSize });
        await r.start();
        await r.waitFor(last.position);
        await r.stop();
        expect(transactions - 1).toBe(expected); // the first one creates the schema and checkpoint
      }
    });

    it('replaying any batch a second time leaves every read model unchanged', async () => {
      await appendScenario(fx.store);
      const head = await fx.store.headPosition();
      const r = await startRunner({ batchSize: 3 });
      await r.waitFor(head);
      await r.stop();
      const clean = await snapshot(fx.db, projections);
      const events = await fx.store.readAll();
      // Every window [i, j) of the log, replayed as one batch from the checkpoint just before it.
      let replays = 0;
      for (const p of projections) {
        for (let i = 0; i < events.length; i += 1) {
          for (const size of [1, 2, 5, events.length]) {
            const batch = events.slice(i, i + size);
            const from = i === 0 ? 0n : events[i - 1].position;
            await setCheckpoint(fx.db, p, from);
            expect(await applyBatch(fx.db, p, batch, from, upcast)).toBe(batch[batch.length - 1].position);
            replays += 1;
          }
        }
        await setCheckpoint(fx.db, p, head);
      }
      expect(replays).toBe(projections.length * events.length * 4);
      expect(await snapshot(fx.db, projections)).toEqual(clean);

      // And the whole log again through the runner, from checkpoint 0.
      for (const p of projections) await setCheckpoint(fx.db, p, 0n);
      await r.start();
      await r.waitFor(head);
      expect(await snapshot(fx.db, projections)).toEqual(clean);
    });

    it('writes rows and checkpoint in one transaction: a failure mid-batch keeps neither, and resuming equals a clean run', async () => {
      await appendScenario(fx.store);
      const head = await fx.store.headPosition();
      const events = await fx.store.readAll();
      const r = await startRunner();
      await r.waitFor(head);
      await r.stop();
      const clean = await snapshot(fx.db, projections);
      for (const p of projections) {
        for (const table of p.tables) await fx.db.query(`DELETE FROM siren_rm.${table}`);
        await setCheckpoint(fx.db, p, 0n);
      }

      // applyBatch directly: the 9th event of a 20-event batch fails after 8 were written.
      const failAt = events[8].position;
      let faulty = true;
      const withFault = (p: Projection): Projection => ({
        ...p,
        handle: (e) => (faulty && e.position === failAt ? [{ sql: 'SELECT 1 / 0', params: [] }] : p.handle(e)),
      });
      const calls = withFault(projections[0]);
      await expect(applyBatch(fx.db, calls, events.slice(0, 20), 0n, upcast)).rejects.toThrow(/division by zero/);
      expect(await readCheckpoint(fx.db, calls)).toBe(0n);
      expect(await fx.db.query('SELECT * FROM siren_rm.calls_v1')).toEqual([]);

      // Through the runner, batches of 4: earlier batches commit, the failing one leaves no trace.
      const failures: string[] = [];
      const faultyRunner = new ProjectionRunner({
        store: fx.store, db: fx.db, projections: projections.map(withFault), batchSize: 4,
        onFailure: (name, err) => failures.push(`${name}: ${err.message}`),
      });
      runner = faultyRunner;
      await faultyRunner.start();
      await expect(faultyRunner.waitFor(head)).rejects.toThrow(/failed: division by zero/);
      // waitFor rejects at the first failure; let the others reach theirs.
      const deadline = Date.now() + 10_000;
      while ((await faultyRunner.status()).some((s) => s.state !== 'failed') && Date.now() < deadline) {
        await new Promise((res) => setTimeout(res, 10));
      }
      const failed = await faultyRunner.status();
      expect(failures).toHaveLength(projections.length);
      for (const s of failed) {
        expect(s).toMatchObject({ state: 'failed', error: 'division by zero' });
        expect(s.checkpoint).toBeLessThan(failAt);
        expect(s.lag).toBe(head - s.checkpoint);
      }
      for (const p of projections) {
        const checkpoint = failed.find((s) => s.name === p.name)!.checkpoint;
        for (const table of p.tables) {
          const [{ max }] = await fx.db.query<{ max: unknown }>(`SELECT max(last_position) AS max FROM siren_rm.${table}`);
          if (max !== null) expect(BigInt(String(max))).toBeLessThanOrEqual(checkpoint);
        }
      }

      faulty = false;
      for (const p of projections) await faultyRunner.restart(p.name);
      await faultyRunner.waitFor(head);
      expect(await snapshot(fx.db, projections)).toEqual(clean);
    });

    /**
     * How the calls projection fails at one event: a plain Statement it returns (the batch is then
     * applied one projection at a time), a part of the one write statement all projections share
     * (the runner cannot tell whose it is until it applies the batch again one at a time), or its
     * fold, before any write.
     */
    const faults: [string, string, (calls: Projection, failing: (position: bigint) => boolean) => Projection][] = [
      ['a plain statement', 'division by zero', (calls, failing) => ({
        ...calls,
        handle: (e) => (failing(e.position) ? [{ sql: 'SELECT 1 / 0', params: [] }] : calls.handle(e)),
      })],
      ['its part of the shared write statement', 'division by zero', (calls, failing) => ({
        ...calls,
        plan: (changes) => {
          const plan = calls.plan!(changes);
          if (!changes.some((c) => failing((c as Change & { at: bigint }).at))) return plan;
          return { reads: plan.reads, fold: (found, writes) => {
            plan.fold(found, writes);
            writes.add(`INSERT INTO calls_v1 (call_id, last_position) SELECT 'fault', 1 / 0`);
          } };
        },
      })],
      ['its fold', 'no fold today', (calls, failing) => ({
        ...calls,
        plan: (changes) => {
          const plan = calls.plan!(changes);
          if (!changes.some((c) => failing((c as Change & { at: bigint }).at))) return plan;
          return { reads: plan.reads, fold: () => { throw new Error('no fold today'); } };
        },
      })],
    ];

    it.each(faults)('one failing projection (%s) stops alone: the others keep applying, and restart() brings it back to the head equal to a clean run', async (_, message, fault) => {
      await appendScenario(fx.store);
      const events = await fx.store.readAll();
      const failAt = events[8].position;
      let faulty = true;
      const [calls, ...others] = projections;
      const faultyCalls = fault(calls, (position) => faulty && position === failAt);
      const failures: string[] = [];
      const r = new ProjectionRunner({
        store: fx.store, db: fx.db, projections: [faultyCalls, ...others], batchSize: 4,
        onFailure: (name, err) => failures.push(`${name}: ${err.message}`),
      });
      runner = r;
      await r.start();
      const settled = async (position: bigint) => {
        const deadline = Date.now() + 10_000;
        for (;;) {
          const status = await r.status();
          const othersThere = status.filter((s) => s.name !== calls.name).every((s) => s.checkpoint >= position && s.state === 'running');
          if ((othersThere && status[0].state === 'failed') || Date.now() > deadline) return status;
          await new Promise((res) => setTimeout(res, 10));
        }
      };
      const check = (status: Awaited<ReturnType<typeof settled>>, position: bigint) => {
        expect(status[0]).toMatchObject({ name: calls.name, state: 'failed', error: message });
        expect(status[0].checkpoint).toBeLessThan(failAt);
        for (const s of status.slice(1)) expect(s).toMatchObject({ state: 'running', checkpoint: position, error: null });
      };
      check(await settled(events[events.length - 1].position), events[events.length - 1].position);
      // Events appended while it is stopped reach the others, not it.
      const more = await append(fx.store, 'call-E', 'CallRequested', { callId: 'E', agentId: 'a', phone: '+1', attempt: 1, trackingId: 'E', kind: 'autodial', at: '2026-11-20T10:00:00Z' });
      check(await settled(more.position), more.position);
      expect(failures).toEqual([`${calls.name}: ${message}`]);

      faulty = false;
      await r.restart(calls.name);
      await r.waitFor(more.position);
      for (const s of await r.status()) expect(s).toMatchObject({ state: 'running', checkpoint: more.position, error: null });
      await r.stop();
      const recovered = await snapshot(fx.db, projections);

      // A clean run of the same log from position 0.
      for (const p of projections) {
        for (const table of p.tables) await fx.db.query(`DELETE FROM siren_rm.${table}`);
        await setCheckpoint(fx.db, p, 0n);
      }
      const clean = await startRunner();
      await clean.waitFor(more.position);
      expect(await snapshot(fx.db, projections)).toEqual(recovered);
    });

    it('advances the checkpoint by compare-and-set: two runners never both apply the same batch', async () => {
      await appendScenario(fx.store);
      const events = await fx.store.readAll();
      const [calls] = projections;
      await ensureProjectionSchema(fx.db, calls);
      const results = await Promise.allSettled([
        applyBatch(fx.db, calls, events, 0n, noUpcast),
        applyBatch(fx.db, calls, events, 0n, noUpcast),
      ]);
      expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((x): x is PromiseRejectedResult => x.status === 'rejected');
      expect(rejected?.reason).toBeInstanceOf(CheckpointConflictError);
      expect(rejected?.reason).toMatchObject({ code: 'PROJECTION_CHECKPOINT_CONFLICT' });
      expect(await readCheckpoint(fx.db, calls)).toBe(events[events.length - 1].position);
      // A stale runner (checkpoint 0 in memory) cannot move it back either.
      await expect(applyBatch(fx.db, calls, events.slice(0, 1), 0n, noUpcast)).rejects.toBeInstanceOf(CheckpointConflictError);
    });

    it('two runners on one read model: a runner whose checkpoint was moved ahead resumes from it, and the rows equal a single clean run', async () => {
      await appendScenario(fx.store);
      const head = await fx.store.headPosition();
      const single = await startRunner();
      await single.waitFor(head);
      await single.stop();
      const clean = await snapshot(fx.db, projections);
      for (const p of projections) {
        for (const table of p.tables) await fx.db.query(`DELETE FROM siren_rm.${table}`);
        await setCheckpoint(fx.db, p, 0n);
      }
      const errors: string[] = [];
      const make = () => new ProjectionRunner({ store: fx.store, db: fx.db, projections, batchSize: 2, onFailure: (_n, e) => errors.push(e.message) });
      const [one, two] = [make(), make()];
      try {
        await Promise.all([one.start(), two.start()]);
        // Conflicts do not stop either runner: the loser of a batch goes on from the winner's checkpoint.
        await Promise.all([one.waitFor(head, 20_000), two.waitFor(head, 20_000)]);
        for (const s of [...(await one.status()), ...(await two.status())]) expect(s).toMatchObject({ state: 'running', checkpoint: head });
      } finally {
        await Promise.all([one.stop(), two.stop()]);
      }
      expect(errors).toEqual([]);
      expect(await snapshot(fx.db, projections)).toEqual(clean);
    });

    it('creates each version\'s schema once, with a comment on every column for analysts', async () => {
      for (const p of projections) await ensureProjectionSchema(fx.db, p);
      for (const p of projections) await ensureProjectionSchema(fx.db, p); // idempotent
      const columns = await fx.db.query<{ table_name: string; column_name: string; comment: string | null }>(
        `SELECT c.table_name, c.column_name, col_description(format('%I.%I', c.table_schema, c.table_name)::regclass, c.ordinal_position) AS comment
         FROM information_schema.columns c WHERE c.table_schema = 'siren_rm' ORDER BY 1, 2`,
      );
      const tables = new Set(columns.map((c) => c.table_name));
      for (const p of projections) for (const t of p.tables) expect(tables).toContain(t);
      expect(columns.filter((c) => !c.comment).map((c) => `${c.table_name}.${c.column_name}`)).toEqual([]);
      const campaignColumns = columns.filter((c) => c.table_name === 'campaigns_v1').map((c) => c.column_name);
      for (const col of COUNTER_COLUMNS) expect(campaignColumns).toContain(col);
    });
  });
}
