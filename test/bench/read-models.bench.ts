import 'reflect-metadata';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { EventStore, NewEvent } from '../../src/eventstore/event-store.port';
import { openPgliteEventStore, openPostgresEventStore } from '../../src/eventstore/postgres';
import {
  allProjections,
  openPgliteReadModelDatabase,
  openPostgresReadModelDatabase,
  ProjectionRunner,
  ReadModelDatabase,
} from '../../src/projections';
import { createTestDatabase } from '../support/postgres-test-db';
import { formatRate, machineLine, markdownTable, writeSection } from './benchmarks-file';
import { cliRebuild } from './cli-rebuild';
import { trivialProjectionReference } from './reference.bench';
import { appendGenerated, generateEvents } from './read-models-events';

/**
 * Read-model benchmarks (issue 4): a full rebuild of every read model over a generated realistic
 * log — the admin's own command, `siren projections rebuild all`, run as its own process so its
 * peak RSS is the rebuild's alone — and the latency from an append to the moment every read model
 * reflects it, at a steady 500 events/s, with the runner live. Sizes from the environment:
 *   BENCH_RM_EVENTS (1,000,000)        events for the PostgreSQL rebuild
 *   BENCH_RM_PGLITE_EVENTS (200,000)   events for the PGlite rebuild (0 skips PGlite)
 *   BENCH_RM_BATCH (5,000)             rebuild all --batch-size (events per page and transaction)
 *   BENCH_RM_RATE (500), BENCH_RM_LATENCY_SECONDS (20)   the latency run
 *   BENCH_RM_PGLITE_LOG                a directory to keep the generated PGlite log in (keptPgliteLog)
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
    batchSize: env('BENCH_RM_BATCH', 5_000),
    rate: env('BENCH_RM_RATE', 500),
    latencySeconds: env('BENCH_RM_LATENCY_SECONDS', 20),
  };
}

interface RebuildResult {
  events: number;
  generateSeconds: number;
  /** The rebuild as the command times it (first read to last swap). */
  seconds: number;
  /** The whole process, start-up included. */
  processSeconds: number;
  peakRssMb: number;
  /** CPU seconds used by the siren process, and by the PostgreSQL backends of the bench database. */
  nodeCpu: number;
  pgCpu: number | null;
  /** 1-minute load average at the end (2 cores: above 2, others were competing). */
  load: number;
}

/** The trivial upsert projection over the same log (reference.bench.ts), for the rebuild table. */
interface ReferenceResult {
  events: number;
  seconds: number;
  nodeCpu: number;
  pgCpu: number | null;
  load: number;
}

interface LatencyResult {
  events: number;
  achievedRate: number;
  p50: number;
  p99: number;
  max: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

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

/**
 * `siren projections rebuild all` in a child process (cli-rebuild.ts) over the log in `env`'s
 * store; `server`, when given, is sampled for the PostgreSQL backends' CPU meanwhile (the child's
 * connections are to the same database).
 */
async function rebuild(
  env: Record<string, string>,
  batchSize: number,
  server: ReadModelDatabase | null,
): Promise<Omit<RebuildResult, 'events' | 'generateSeconds'> & { applied: number; processSeconds: number }> {
  const pg = backendCpu(server);
  await pg.sample();
  const r = await cliRebuild(env, batchSize, () => void pg.sample());
  await pg.sample();
  return {
    seconds: r.rebuildSeconds, processSeconds: r.seconds, peakRssMb: r.peakRssMb, nodeCpu: r.cpuSeconds, pgCpu: pg.seconds(), load: loadavg()[0], applied: r.events,
  };
}

/**
 * Issue 4's reference over the log just rebuilt, on this machine in this run: read in pages of
 * `batchSize` (as the rebuild reads), one batched upsert and a checkpoint per page; `server` as in
 * rebuild(), or null (PGlite: everything in this process).
 */
async function reference(label: string, store: EventStore, db: ReadModelDatabase, batchSize: number, server: ReadModelDatabase | null): Promise<ReferenceResult> {
  const pg = backendCpu(server);
  await pg.sample();
  // Sampled as it goes: a backend the pools open meanwhile counts from its first sample.
  const timer = setInterval(() => void pg.sample(), 500);
  const r = await trivialProjectionReference(store, db, batchSize).finally(() => clearInterval(timer));
  await pg.sample();
  log(`  ${label} trivial upsert projection reference: ${r.events.toLocaleString('en-US')} events in ${r.seconds.toFixed(1)} s, ${formatRate(r.eventsPerSec)} events/s`);
  return { events: r.events, seconds: r.seconds, nodeCpu: r.cpuSeconds, pgCpu: pg.seconds(), load: loadavg()[0] };
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

/**
 * The latency with a runner over the rebuilt read models (it resumes at the head), once it is
 * warm: the first seconds after a start (statement plans cached, the freshly rebuilt tables' pages
 * read in, the server's own post-load work) are run at the same rate but not counted.
 */
async function liveLatency(label: string, store: EventStore, db: ReadModelDatabase, opts: ReadModelsBenchOptions): Promise<LatencyResult> {
  const runner = new ProjectionRunner({ store, db, projections: allProjections() });
  try {
    await runner.start();
    await runner.waitFor(await store.headPosition(), 60_000);
    if (opts.latencySeconds > 0) await latency(store, runner, opts.rate, WARM_UP_SECONDS);
    const lat = await latency(store, runner, opts.rate, opts.latencySeconds);
    log(`  ${label} latency at ${formatRate(lat.achievedRate)} events/s: p50 ${lat.p50.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms, max ${lat.max.toFixed(1)} ms`);
    return lat;
  } finally {
    await runner.stop();
  }
}

const WARM_UP_SECONDS = 5;

interface StoreResult {
  rebuild: RebuildResult;
  reference: ReferenceResult;
  latency: LatencyResult;
}

async function onPostgres(serverUrl: string, opts: ReadModelsBenchOptions): Promise<StoreResult & { version: string }> {
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
      if ((await store.headPosition()) === 0n) {
        await appendGenerated(store, opts.events, (n) => n % 100_000 < 4000 && log(`  postgres: generated ${n.toLocaleString('en-US')} events`));
      }
      const generateSeconds = (performance.now() - g0) / 1000;
      log(`  postgres: log generated in ${generateSeconds.toFixed(1)} s; siren projections rebuild all`);
      global.gc?.();
      const result = await rebuild({ DATABASE_URL: database.url }, opts.batchSize, db);
      const events = result.applied;
      log(`  postgres rebuild: ${events.toLocaleString('en-US')} events in ${result.seconds.toFixed(1)} s, ${formatRate(events / result.seconds)} events/s, peak RSS ${result.peakRssMb.toFixed(0)} MB, CPU siren ${result.nodeCpu.toFixed(1)} s + server ${result.pgCpu?.toFixed(1) ?? '?'} s`);
      const ref = await reference('postgres', store, db, opts.batchSize, db);
      const lat = await liveLatency('postgres', store, db, opts);
      return { rebuild: { events, generateSeconds, ...result }, reference: ref, latency: lat, version };
    } finally {
      await db.close();
      await store.close();
    }
  } finally {
    await database.drop();
  }
}

/**
 * BENCH_RM_PGLITE_LOG=<dir>: the generated log is kept there (generated on the first run) and
 * copied for each run, so trial runs skip the generation (keep one directory per
 * BENCH_RM_PGLITE_EVENTS). Each run appends its latency events to the copy, never to the kept
 * log, so every run rebuilds the same events.
 */
async function keptPgliteLog(kept: string, target: string, events: number): Promise<void> {
  if (!existsSync(kept)) {
    const store = await openPgliteEventStore(kept, { maxEventsPerTransaction: 5000 });
    try {
      await appendGenerated(store, events);
    } finally {
      await store.close();
    }
  }
  cpSync(kept, target, { recursive: true });
}

/**
 * The embedded stores laid out as `siren` lays them out (SIREN_DATA_DIR: the log, read-models/
 * inside it). Each PGlite directory is one process's at a time, so this process closes the log
 * before `rebuild all` runs and opens both again afterwards for the latency run.
 */
async function onPglite(opts: ReadModelsBenchOptions): Promise<StoreResult> {
  const dir = mkdtempSync(join(tmpdir(), 'siren-bench-rm-'));
  const dataDir = join(dir, 'siren');
  try {
    const g0 = performance.now();
    const kept = process.env.BENCH_RM_PGLITE_LOG;
    if (kept) await keptPgliteLog(kept, dataDir, opts.pgliteEvents);
    else {
      const generating = await openPgliteEventStore(dataDir, { maxEventsPerTransaction: 5000 });
      await appendGenerated(generating, opts.pgliteEvents).finally(() => generating.close());
    }
    const generateSeconds = (performance.now() - g0) / 1000;
    log(`  pglite: log generated in ${generateSeconds.toFixed(1)} s; siren projections rebuild all`);
    const result = await rebuild({ SIREN_DATA_DIR: dataDir }, opts.batchSize, null);
    const events = result.applied;
    log(`  pglite rebuild: ${events.toLocaleString('en-US')} events in ${result.seconds.toFixed(1)} s, ${formatRate(events / result.seconds)} events/s, peak RSS ${result.peakRssMb.toFixed(0)} MB, CPU ${result.nodeCpu.toFixed(1)} s`);
    const store = await openPgliteEventStore(dataDir, { maxEventsPerTransaction: 5000 });
    const db = await openPgliteReadModelDatabase(join(dataDir, 'read-models'));
    try {
      // On a scratch schema of the read-model database just reopened (dropped before the latency run).
      const ref = await reference('pglite', store, db, opts.batchSize, null);
      const lat = await liveLatency('pglite', store, db, opts);
      return { rebuild: { events, generateSeconds, ...result }, reference: ref, latency: lat };
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
  let version = '';
  const references: (string | number)[][] = [];
  const add = (store: string, r: StoreResult) => {
    const b = r.rebuild;
    const cpu = b.nodeCpu + (b.pgCpu ?? 0);
    rebuilds.push([
      store, b.events.toLocaleString('en-US'), `${b.seconds.toFixed(1)} s`, formatRate(b.events / b.seconds), `${b.processSeconds.toFixed(1)} s`,
      formatRate(b.events / b.processSeconds), `${b.peakRssMb.toFixed(0)} MB`,
      `${b.nodeCpu.toFixed(1)} s`, b.pgCpu === null ? 'in process' : `${b.pgCpu.toFixed(1)} s`, formatRate(b.events / (cpu / 2)), b.load.toFixed(1),
    ]);
    // Same columns; no process of its own (it runs in the bench process), so no process time or RSS.
    const f = r.reference;
    const refCpu = f.nodeCpu + (f.pgCpu ?? 0);
    references.push([
      `${store} (trivial upsert projection reference)`, f.events.toLocaleString('en-US'), `${f.seconds.toFixed(1)} s`, formatRate(f.events / f.seconds), '', '', '',
      `${f.nodeCpu.toFixed(1)} s`, f.pgCpu === null ? 'in process' : `${f.pgCpu.toFixed(1)} s`, formatRate(f.events / (refCpu / 2)), f.load.toFixed(1),
    ]);
    const l = r.latency;
    latencies.push([store, l.events.toLocaleString('en-US'), formatRate(l.achievedRate), `${l.p50.toFixed(1)} ms`, `${l.p99.toFixed(1)} ms`, `${l.max.toFixed(1)} ms`]);
  };
  if (serverUrl) {
    const r = await onPostgres(serverUrl, opts);
    version = r.version;
    add('postgres', r);
  }
  if (opts.pgliteEvents > 0) add('pglite', await onPglite(opts));
  return [
    '## Read models: full rebuild and append-to-read-model latency',
    '',
    machineLine(version ? `PostgreSQL ${version}` : 'no PostgreSQL server (PGlite only)'),
    '',
    `Generated log (test/bench/read-models-events.ts): 40 agents, campaigns of 1,000 contacts, ~40 calls in`,
    `progress at once; calls with every disposition, AMD, DTMF, retries (~4.5 events per call).`,
    `Rebuild: \`siren projections rebuild all --batch-size ${opts.batchSize}\` as its own process, from an empty read-model`,
    `schema to every read model swapped in (one read of the log, the copies built side by side; see README).`,
    `"rebuild" is the command's own timing (first read of the log to last swap, as it prints it); "process"`,
    `adds Node's start-up, loading Siren and connecting. Peak RSS is that process's own (ru_maxrss, via`,
    `test/bench/report-usage.js): PostgreSQL's processes are not included; on PGlite both embedded databases`,
    `run inside it. CPU: the siren process, and the PostgreSQL backends of the bench database (from /proc).`,
    `Targets (issue 4): PostgreSQL >= 50,000 events/s with peak RSS <= 300 MB; PGlite >= 25,000 events/s.`,
    '',
    markdownTable(['store', 'events', 'rebuild', 'events/s', 'process', 'events/s (process)', 'peak RSS', 'CPU: siren', 'CPU: PostgreSQL', 'events / (CPU s / 2)', 'load avg'], [...rebuilds, ...references]),
    '',
    'The "trivial upsert projection reference" rows measure this machine in this run (test/bench/reference.bench.ts):',
    `the same log read through the store in pages of ${opts.batchSize.toLocaleString('en-US')}, and per page one transaction with a single`,
    'batched upsert (events per stream, grouped from `unnest`) and a checkpoint update, in the bench process;',
    "issue 4 quotes 107,000–231,000 events/s for it on the machine it was written on.",
    '',
    'The "events / (CPU s / 2)" column is what the rebuild would reach if its CPU time spread evenly over',
    'both cores: the machine is shared, so wall-clock figures depend on what else runs (the 1-minute load',
    'average at the end of the run is in the last column).',
    '',
    `Latency: ${opts.rate} events/s appended one per append for ${opts.latencySeconds} s with the runner live (all read models,`,
    `one subscription), after ${WARM_UP_SECONDS} s at the same rate that are not counted (the runner just started over tables the`,
    'rebuild had just built); from the append resolving until every read model\'s checkpoint covers it. Target: p99 <= 20 ms.',
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
