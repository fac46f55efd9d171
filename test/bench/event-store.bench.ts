import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { EventStore } from '../../src/eventstore/event-store.port';
import { openPgliteEventStore, openPostgresEventStore } from '../../src/eventstore/postgres';
import { createTestDatabase } from '../support/postgres-test-db';
import { benchAppend, benchReadAll } from './append.bench';
import { formatRate, machineLine, markdownTable } from './benchmarks-file';
import { rawInsertReference } from './reference.bench';
import { openServerCpuProbe, ServerCpuProbe } from './server-cpu';

interface Scenario {
  label: string;
  writers: number;
  eventsPerAppend: number;
  totalEvents: number;
  /** Issue 2's target for this scenario, per store, in events/s. */
  target?: { postgres?: number; pglite?: number };
}

/** What the issue asks for: 1 writer, 16 writers, batches of 100; then a full read of the log. */
function scenarios(scale: number): Scenario[] {
  return [
    { label: '1 writer, 1 event per append', writers: 1, eventsPerAppend: 1, totalEvents: 3_000 * scale, target: { pglite: 2_000 } },
    { label: '16 writers, 1 event per append', writers: 16, eventsPerAppend: 1, totalEvents: 20_000 * scale, target: { postgres: 5_000 } },
    // No target of its own: issue 2 quotes its batch reference (~62,000 raw) and target for batches
    // without a writer count, and plain INSERTs from one writer reach only ~20,000 here (the
    // reference rows below): the 16-writer row carries the batch target.
    { label: '1 writer, batches of 100', writers: 1, eventsPerAppend: 100, totalEvents: 50_000 * scale },
    { label: '16 writers, batches of 100', writers: 16, eventsPerAppend: 100, totalEvents: 100_000 * scale, target: { postgres: 40_000 } },
  ];
}

type Row = (string | number)[];

const WARM_UP_EVENTS = 3_000;

async function runOn(store: EventStore, scale: number, server?: ServerCpuProbe): Promise<Row[]> {
  const rows: Row[] = [];
  // Warm up, not counted: the first appends of a session compile the plpgsql functions and plan
  // their queries, and V8 compiles the append path (and, for PGlite, its engine's hot code) only
  // after it has run a while -- the first 3,000 single-event appends measured ~2x the CPU of the next.
  await benchAppend(store, { writers: 1, eventsPerAppend: 1, totalEvents: WARM_UP_EVENTS });
  await benchAppend(store, { writers: 4, eventsPerAppend: 100, totalEvents: WARM_UP_EVENTS });
  for (const s of scenarios(scale)) {
    const r = await benchAppend(store, s, server);
    const target = s.target?.[store.name as 'postgres' | 'pglite'];
    const verdict = target === undefined ? '' : `>= ${formatRate(target)} ${r.eventsPerSec >= target ? 'met' : 'missed'}`;
    const serverCpu = r.serverCpuUsPerEvent ?? '';
    rows.push([store.name, `append: ${s.label}`, r.events.toLocaleString('en-US'), formatRate(r.eventsPerSec), r.cpuUsPerEvent, serverCpu, verdict]);
    const serverNote = serverCpu === '' ? '' : ` + ${serverCpu} µs server CPU/event`;
    process.stderr.write(`  ${store.name} ${s.label}: ${formatRate(r.eventsPerSec)} events/s, ${r.cpuUsPerEvent} µs CPU/event${serverNote} ${verdict}\n`);
  }
  const read = await benchReadAll(store);
  rows.push([store.name, 'read all (pages of 1,000)', read.events.toLocaleString('en-US'), formatRate(read.eventsPerSec), read.cpuUsPerEvent, '', '']);
  process.stderr.write(`  ${store.name} read all: ${formatRate(read.eventsPerSec)} events/s, ${read.cpuUsPerEvent} µs CPU/event\n`);
  return rows;
}

/** 1-minute load average over the cores: above ~1 other work competed for the CPU. */
function loadPerCore(): string {
  return (loadavg()[0] / cpus().length).toFixed(1);
}

/** Appends and reads through the full path (expectation check, stream lock, hash chain). */
export async function eventStoreBench(serverUrl: string | undefined, scale = 1): Promise<string> {
  const rows: Row[] = [];
  const loadBefore = loadPerCore();
  let pgVersion = '';
  if (serverUrl) {
    const db = await createTestDatabase(serverUrl, 'siren_bench');
    try {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      pgVersion = (await client.query('SHOW server_version')).rows[0].server_version;
      await client.end();
      const store = await openPostgresEventStore(db.url);
      const server = await openServerCpuProbe(db.url);
      try {
        rows.push(...(await runOn(store, scale, server)));
      } finally {
        await store.close();
        await server?.close();
      }
      // Same machine, same run: what plain INSERTs of the same rows reach, to tell machine speed from Siren's.
      for (const r of await rawInsertReference(db.url, scale)) {
        const serverCpu = r.serverCpuUsPerEvent ?? '';
        rows.push(['postgres (raw INSERT reference)', r.label, r.events.toLocaleString('en-US'), formatRate(r.eventsPerSec), r.cpuUsPerEvent, serverCpu, '']);
        const serverNote = serverCpu === '' ? '' : ` + ${serverCpu} µs server CPU/event`;
        process.stderr.write(`  postgres raw INSERT reference ${r.label}: ${formatRate(r.eventsPerSec)} events/s, ${r.cpuUsPerEvent} µs CPU/event${serverNote}\n`);
      }
    } finally {
      await db.drop();
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'siren-bench-'));
  try {
    const store = await openPgliteEventStore(dir);
    try {
      rows.push(...(await runOn(store, scale)));
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    '## Event store: append and read',
    '',
    machineLine(pgVersion ? `PostgreSQL ${pgVersion}` : 'no PostgreSQL server (PGlite only)'),
    '',
    'Full append path: expectation check, per-stream lock, hash chain, gap-safe critical section,',
    'commit (group commit: concurrent appends share a transaction, each checked on its own).',
    `Each store is warmed up first with ${WARM_UP_EVENTS.toLocaleString('en-US')} single-event appends and ${WARM_UP_EVENTS.toLocaleString('en-US')} events in batches, not counted.`,
    'PGlite runs on disk in a temporary directory. Targets (issue 2): PostgreSQL >= 5,000 events/s with',
    '16 writers, >= 40,000 in batches (read as the 16-writer batches: one writer is bound by its round',
    'trips, and plain 100-row INSERTs from one writer stay well below 40,000 here, see the reference rows);',
    'PGlite >= 2,000 single writer. "CPU µs/event" is this process',
    "alone (Siren's side; for PGlite the engine too, it runs in-process), the figure to compare on a",
    'busy machine; "server CPU µs/event" is the PostgreSQL backends serving the store (from /proc, local',
    `server only). Load average per core: ${loadBefore} before the runs, ${loadPerCore()} after (above ~1`,
    'means other work competed for the CPU and events/s are low by that much).',
    '"raw INSERT reference" rows are plain autocommit INSERTs (prepared; 100-row ones a single',
    '`INSERT … SELECT FROM unnest(…)`) into a plain table with the same columns and rows of the same',
    'size, from one connection per writer: no expectation check, lock, hash chain or critical section,',
    'measured in the same run to tell machine speed from code speed (one commit per INSERT, so not a',
    "ceiling for Siren's group commit with 16 single-event writers); issue 2's own references were",
    '~7,600 events/s (16 writers) and ~62,000 events/s (batches of 100) on the machine it was written on.',
    '',
    markdownTable(['store', 'scenario', 'events', 'events/s', 'CPU µs/event', 'server CPU µs/event', 'target'], rows),
  ].join('\n');
}
