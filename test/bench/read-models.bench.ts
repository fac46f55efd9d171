import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { EventStore, NewEvent } from '../../src/eventstore/event-store.port';
import { openPgliteEventStore, openPostgresEventStore } from '../../src/eventstore/postgres';
import {
  allProjections,
  applyBatch,
  ensureProjectionSchema,
  openPgliteReadModelDatabase,
  openPostgresReadModelDatabase,
  ProjectionRunner,
  ReadModelDatabase,
} from '../../src/projections';
import { campaignUpcasters } from '../../src/campaigns/campaign.upcasters';
import { upcasterRegistry } from '../../src/shared/upcasters';
import { createTestDatabase } from '../support/postgres-test-db';
import { formatRate, machineLine, markdownTable, writeSection } from './benchmarks-file';
import { appendGenerated, generateEvents } from './read-models-events';

/**
 * Read-model benchmarks (issue 4): a full build of every read model from position 0 over a
 * generated realistic log, and the latency from an append to the moment every read model
 * reflects it, at a steady 500 events/s. Sizes from the environment:
 *   BENCH_RM_EVENTS (1,000,000)        events for the PostgreSQL rebuild
 *   BENCH_RM_PGLITE_EVENTS (200,000)   events for the PGlite rebuild (0 skips PGlite)
 *   BENCH_RM_BATCH (2,000)             the runner's batchSize
 *   BENCH_RM_RATE (500), BENCH_RM_LATENCY_SECONDS (20)   the latency run
 */
export interface ReadModelsBenchOptions {
  events: number;
  pgliteEvents: number;
  batchSize: number;
  rate: number;
  latencySeconds: number;
}

export function readModelsBenchOptions(scale = 1): ReadModelsBenchOptions {
  const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  return {
    events: env('BENCH_RM_EVENTS', 1_000_000 * scale),
    pgliteEvents: env('BENCH_RM_PGLITE_EVENTS', 200_000 * scale),
    batchSize: env('BENCH_RM_BATCH', 2_000),
    rate: env('BENCH_RM_RATE', 500),
    latencySeconds: env('BENCH_RM_LATENCY_SECONDS', 20),
  };
}

interface RebuildResult {
  events: number;
  generateSeconds: number;
  seconds: number;
  peakRssMb: number;
  /** CPU seconds used by this process, and by the PostgreSQL backends of the bench database. */
  nodeCpu: number;
  pgCpu: number | null;
  /** 1-minute load average at the end (2 cores: above 2, others were competing). */
  load: number;
  /** Seconds from start until each read model reached the head. */
  perProjection: Record<string, number>;
}

interface LatencyResult {
  events: number;
  achievedRate: number;
  p50: number;
  p99: number;
  max: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const mb = (bytes: number) => bytes / 1024 / 1024;

/** Samples this process's RSS every 50 ms; `stop` returns the peak seen. */
function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

/**
 * CPU seconds of the server processes serving `db`'s database (read from /proc, so only for a
 * local server): sampled as it goes, since the pools close idle connections.
 */
function backendCpu(db: ReadModelDatabase | null): { sample(): Promise<void>; seconds(): number | null } {
  const ticks = new Map<number, number>();
  const first = new Map<number, number>();
  const read = (pid: number): number | null => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return Number(fields[11]) + Number(fields[12]); // utime + stime
    } catch {
      return null;
    }
  };
  let available = db !== null;
  return {
    async sample() {
      if (!db || !available) return;
      const rows = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()').catch(() => []);
      for (const { pid } of rows) {
        const t = read(pid);
        if (t === null) {
          available = ticks.size > 0;
          continue;
        }
        if (!first.has(pid)) first.set(pid, t);
        ticks.set(pid, t);
      }
    },
    seconds: () => (available && ticks.size > 0 ? [...ticks].reduce((s, [pid, t]) => s + t - (first.get(pid) ?? t), 0) / 100 : null),
  };
}

/** Builds every read model from 0 with one runner; leaves the runner running (live) at the head. */
async function rebuild(
  store: EventStore,
  db: ReadModelDatabase,
  batchSize: number,
  server: ReadModelDatabase | null,
): Promise<{ runner: ProjectionRunner; result: Omit<RebuildResult, 'events' | 'generateSeconds'> }> {
  const head = await store.headPosition();
  const projections = allProjections();
  global.gc?.();
  const pg = backendCpu(server);
  await pg.sample();
  const cpu0 = process.cpuUsage();
  const rss = rssSampler();
  const t0 = performance.now();
  const runner = new ProjectionRunner({ store, db, projections, batchSize });
  await runner.start();
  const perProjection: Record<string, number> = {};
  // Which read model finished when (checkpoint reads: a few tiny queries a second).
  const watch = setInterval(() => {
    void pg.sample();
    void runner.status().then((all) => {
      for (const s of all) if (s.checkpoint >= head && perProjection[s.name] === undefined) perProjection[s.name] = (performance.now() - t0) / 1000;
    }, () => undefined);
  }, 500);
  try {
    await runner.waitFor(head, 60 * 60_000);
  } finally {
    clearInterval(watch);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await pg.sample();
  const nodeCpu = (cpu.user + cpu.system) / 1e6;
  return { runner, result: { seconds, peakRssMb: mb(rss.stop()), nodeCpu, pgCpu: pg.seconds(), load: loadavg()[0], perProjection } };
}

/**
 * Not the runner: the log read ONCE, each page applied to every read model (applyBatch, in
 * parallel over the pool). What a runner sharing one subscription between its projections could
 * reach; the read models are dropped and rebuilt from 0 in `schema`.
 */
async function sharedReadRebuild(store: EventStore, db: ReadModelDatabase, batchSize: number, server: ReadModelDatabase | null): Promise<{ seconds: number; nodeCpu: number; pgCpu: number | null; peakRssMb: number }> {
  const schema = 'siren_rm_shared';
  await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  const projections = allProjections();
  const upcast = upcasterRegistry(campaignUpcasters);
  global.gc?.();
  const pg = backendCpu(server);
  await pg.sample();
  const watch = setInterval(() => void pg.sample(), 500);
  const cpu0 = process.cpuUsage();
  const rss = rssSampler();
  const t0 = performance.now();
  const at = new Map<string, bigint>();
  for (const p of projections) at.set(p.name, await ensureProjectionSchema(db, p, schema));
  let after = 0n;
  for (;;) {
    const page = await store.readAll({ after, maxCount: batchSize });
    if (page.length === 0) break;
    await Promise.all(projections.map(async (p) => at.set(p.name, await applyBatch(db, p, page, at.get(p.name)!, upcast, schema))));
    after = page[page.length - 1].position;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(watch);
  await pg.sample();
  await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  return { seconds, nodeCpu: (cpu.user + cpu.system) / 1e6, pgCpu: pg.seconds(), peakRssMb: mb(rss.stop()) };
}

/**
 * Appends `rate` events/s, one event per append (as the AMI ingest and the saga do), for
 * `seconds`, with `runner` live; an event's latency runs from its append resolving to every read
 * model's checkpoint reaching its position. A stream's appends are chained, so its order holds.
 */
async function latency(store: EventStore, runner: ProjectionRunner, rate: number, seconds: number): Promise<LatencyResult> {
  const total = Math.round(rate * seconds);
  if (total === 0) return { events: 0, achievedRate: 0, p50: 0, p99: 0, max: 0 };
  const events = [...generateEvents(total, 7, 'live-')];
  const latencies: number[] = [];
  const lastOfStream = new Map<string, Promise<unknown>>();
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  const one = async (streamId: string, event: NewEvent) => {
    const { position } = await store.append(streamId, [event], { expectedRevision: 'any' });
    const appended = performance.now();
    await runner.waitFor(position, 60_000);
    latencies.push(performance.now() - appended);
  };
  for (let i = 0; i < events.length; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const { streamId, event } = events[i];
    const previous = lastOfStream.get(streamId) ?? Promise.resolve();
    const p = previous.then(() => one(streamId, event));
    lastOfStream.set(streamId, p);
    pending.push(p);
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (f: number) => latencies[Math.min(latencies.length - 1, Math.floor(f * latencies.length))];
  return { events: total, achievedRate: total / elapsed, p50: q(0.5), p99: q(0.99), max: latencies[latencies.length - 1] };
}

type SharedResult = Awaited<ReturnType<typeof sharedReadRebuild>>;

async function onPostgres(
  serverUrl: string,
  opts: ReadModelsBenchOptions,
): Promise<{ rebuild: RebuildResult; latency: LatencyResult; version: string; shared: SharedResult | null }> {
  // BENCH_RM_REUSE_URL: an existing database (kept) whose log is reused; its read models are dropped first.
  const reuse = process.env.BENCH_RM_REUSE_URL;
  const database = reuse ? { url: reuse, drop: async () => undefined } : await createTestDatabase(serverUrl, 'siren_bench_rm');
  try {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    const version = (await client.query('SHOW server_version')).rows[0].server_version as string;
    await client.query('DROP SCHEMA IF EXISTS siren_rm CASCADE');
    await client.end();
    const store = await openPostgresEventStore(database.url, { maxEventsPerTransaction: 5000 });
    const db = await openPostgresReadModelDatabase(database.url);
    try {
      const g0 = performance.now();
      const existing = await store.headPosition();
      if (existing === 0n) {
        await appendGenerated(store, opts.events, (n) => n % 100_000 < 4000 && log(`  postgres: generated ${n.toLocaleString('en-US')} events`));
      }
      // Positions can have gaps (a retried append transaction burns sequence values): count rows.
      const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM public.siren_events');
      const events = Number(n);
      const generateSeconds = (performance.now() - g0) / 1000;
      log(`  postgres: ${events.toLocaleString('en-US')} events appended in ${generateSeconds.toFixed(1)} s; rebuilding`);
      const { runner, result } = await rebuild(store, db, opts.batchSize, db);
      log(`  postgres rebuild: ${result.seconds.toFixed(1)} s, ${formatRate(events / result.seconds)} events/s, peak RSS ${result.peakRssMb.toFixed(0)} MB, CPU node ${result.nodeCpu.toFixed(1)} s + server ${result.pgCpu?.toFixed(1) ?? '?'} s`);
      try {
        const lat = await latency(store, runner, opts.rate, opts.latencySeconds);
        await runner.stop();
        const shared = process.env.BENCH_RM_SHARED === '0' ? null : await sharedReadRebuild(store, db, opts.batchSize, db);
        if (shared) log(`  postgres, log read once: ${shared.seconds.toFixed(1)} s, ${formatRate(events / shared.seconds)} events/s, peak RSS ${shared.peakRssMb.toFixed(0)} MB, CPU node ${shared.nodeCpu.toFixed(1)} s + server ${shared.pgCpu?.toFixed(1) ?? '?'} s`);
        log(`  postgres latency at ${formatRate(lat.achievedRate)} events/s: p50 ${lat.p50.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms, max ${lat.max.toFixed(1)} ms`);
        return { rebuild: { events, generateSeconds, ...result }, latency: lat, version, shared };
      } finally {
        await runner.stop();
      }
    } finally {
      await db.close();
      await store.close();
    }
  } finally {
    await database.drop();
  }
}

async function onPglite(opts: ReadModelsBenchOptions): Promise<{ rebuild: RebuildResult; latency: LatencyResult }> {
  const dir = mkdtempSync(join(tmpdir(), 'siren-bench-rm-'));
  try {
    const store = await openPgliteEventStore(join(dir, 'events'), { maxEventsPerTransaction: 5000 });
    const db = await openPgliteReadModelDatabase(join(dir, 'read-models'));
    try {
      const g0 = performance.now();
      await appendGenerated(store, opts.pgliteEvents);
      const generateSeconds = (performance.now() - g0) / 1000;
      log(`  pglite: ${opts.pgliteEvents.toLocaleString('en-US')} events appended in ${generateSeconds.toFixed(1)} s; rebuilding`);
      const { runner, result } = await rebuild(store, db, opts.batchSize, null);
      log(`  pglite rebuild: ${result.seconds.toFixed(1)} s, ${formatRate(opts.pgliteEvents / result.seconds)} events/s, peak RSS ${result.peakRssMb.toFixed(0)} MB, CPU node ${result.nodeCpu.toFixed(1)} s + server ${result.pgCpu?.toFixed(1) ?? '?'} s`);
      try {
        const lat = await latency(store, runner, opts.rate, opts.latencySeconds);
        log(`  pglite latency at ${formatRate(lat.achievedRate)} events/s: p50 ${lat.p50.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms, max ${lat.max.toFixed(1)} ms`);
        return { rebuild: { events: opts.pgliteEvents, generateSeconds, ...result }, latency: lat };
      } finally {
        await runner.stop();
      }
    } finally {
      await db.close();
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the benchmarks and returns the BENCHMARKS.md section. */
export async function readModelsBench(serverUrl: string | undefined, opts: ReadModelsBenchOptions): Promise<string> {
  const rebuilds: (string | number)[][] = [];
  const latencies: (string | number)[][] = [];
  const models: (string | number)[][] = [];
  let version = '';
  const add = (store: string, r: { rebuild: RebuildResult; latency: LatencyResult }) => {
    const b = r.rebuild;
    const cpu = b.nodeCpu + (b.pgCpu ?? 0);
    rebuilds.push([
      store, b.events.toLocaleString('en-US'), `${b.seconds.toFixed(1)} s`, formatRate(b.events / b.seconds), `${b.peakRssMb.toFixed(0)} MB`,
      `${b.nodeCpu.toFixed(1)} s`, b.pgCpu === null ? 'in process' : `${b.pgCpu.toFixed(1)} s`, formatRate(b.events / (cpu / 2)), b.load.toFixed(1),
    ]);
    const l = r.latency;
    latencies.push([store, l.events.toLocaleString('en-US'), formatRate(l.achievedRate), `${l.p50.toFixed(1)} ms`, `${l.p99.toFixed(1)} ms`, `${l.max.toFixed(1)} ms`]);
    // Sampled every 0.5 s from the checkpoints; a read model not seen before the end shows the total.
    for (const p of allProjections()) {
      const s = b.perProjection[p.name];
      models.push([store, p.name, s === undefined ? `${b.seconds.toFixed(1)} s (at the end)` : `${s.toFixed(1)} s`]);
    }
  };
  let shared = '';
  if (serverUrl) {
    const r = await onPostgres(serverUrl, opts);
    version = r.version;
    add('postgres', r);
    if (r.shared) {
      const s = r.shared;
      const n = r.rebuild.events;
      shared = [
        '',
        'For comparison, not the runner: the same log read once and each page applied to every read model',
        '(applyBatch, in parallel), i.e. what a runner sharing one subscription between its read models',
        'could reach (the runner reads and parses the log once per read model):',
        '',
        markdownTable(['store', 'events', 'rebuild', 'events/s', 'peak RSS', 'CPU: Node', 'CPU: PostgreSQL', 'events / (CPU s / 2)'], [[
          'postgres', n.toLocaleString('en-US'), `${s.seconds.toFixed(1)} s`, formatRate(n / s.seconds), `${s.peakRssMb.toFixed(0)} MB`,
          `${s.nodeCpu.toFixed(1)} s`, s.pgCpu === null ? '?' : `${s.pgCpu.toFixed(1)} s`, formatRate(n / ((s.nodeCpu + (s.pgCpu ?? 0)) / 2)),
        ]]),
      ].join('\n');
    }
  }
  if (opts.pgliteEvents > 0) add('pglite', await onPglite(opts));
  return [
    '## Read models: full rebuild and append-to-read-model latency',
    '',
    machineLine(version ? `PostgreSQL ${version}` : 'no PostgreSQL server (PGlite only)'),
    '',
    `Generated log (test/bench/read-models-events.ts): 40 agents, campaigns of 1,000 contacts, ~40 calls in`,
    `progress at once; calls with every disposition, AMD, DTMF, retries (~4.5 events per call).`,
    `Rebuild: one ProjectionRunner over allProjections() from position 0 (batchSize ${opts.batchSize.toLocaleString('en-US')}),`,
    `until every read model reached the head. Peak RSS is this Node process only, sampled every 50 ms`,
    `(PostgreSQL's own processes are not included; on PGlite both databases run inside it).`,
    `Targets (issue 4): PostgreSQL >= 50,000 events/s with peak RSS <= 300 MB; PGlite >= 25,000 events/s.`,
    '',
    markdownTable(['store', 'events', 'rebuild', 'events/s', 'peak RSS', 'CPU: Node', 'CPU: PostgreSQL', 'events / (CPU s / 2)', 'load avg'], rebuilds),
    '',
    'The last column is what the rebuild would reach if it had both cores to itself (events per',
    'CPU-second of Node + PostgreSQL, times 2): the machine is shared, so wall-clock figures depend on',
    'what else runs (the 1-minute load average at the end of the run is in the last column).',
    '',
    ...(shared ? [shared.trimStart(), ''] : []),
    'Each read model reached the head after (runner):',
    '',
    markdownTable(['store', 'read model', 'time'], models),
    '',
    `Latency: ${opts.rate} events/s appended one per append for ${opts.latencySeconds} s with the runner live, from the`,
    'append resolving until every read model\'s checkpoint covers it. Target: p99 <= 20 ms.',
    '',
    markdownTable(['store', 'events', 'events/s', 'p50', 'p99', 'max'], latencies),
  ].join('\n');
}

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const section = await readModelsBench(process.env.BENCH_RM_NO_POSTGRES ? undefined : serverUrl, readModelsBenchOptions());
  process.stdout.write(`${section}\n`);
  const file = process.env.BENCH_RM_FILE ?? join(__dirname, '..', '..', '..', 'BENCHMARKS.md');
  if (process.env.BENCH_RM_WRITE !== '0') writeSection(file, 'read-models', section);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
