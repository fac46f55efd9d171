import { existsSync } from 'node:fs';
import { Command } from 'commander';
import type { EventStoreConfig } from '../../config';
import { allProjections, openReadModels, pgliteReadModelDir, Projection, ReadModelDatabase } from '../../projections';
import { readStoredStatus, rebuildProjections, RebuildProgress, RebuildResult, StoredProjectionStatus } from '../../projections/rebuild';
import { DomainError } from '../../shared/domain-error';
import { progressBar } from '../progress';
import { withEventStore } from '../with-event-store';

export function projectionsCommand(): Command {
  const projections = new Command('projections').description('the read models: how far each has applied the event log, and live rebuilds');
  projections
    .command('status')
    .description('name, version, checkpoint, head, lag and state of every read model')
    .option('--json', 'print the statuses as JSON')
    .action(async (opts: { json?: boolean }) => {
      const statuses = await withEventStore(async (store, config) => {
        // An embedded install that never built its read models: say so without creating files.
        if (!config.eventStore.DATABASE_URL && !existsSync(pgliteReadModelDir(config.eventStore))) {
          return readStoredStatus(emptyDatabase, store, allProjections());
        }
        return withReadModels(config.eventStore, {}, (db) => readStoredStatus(db, store, allProjections()));
      });
      process.stdout.write(opts.json ? JSON.stringify(statuses.map(statusJson), null, 2) + '\n' : statusTable(statuses));
    });
  projections
    .command('rebuild')
    .argument('<name>', `a read model (${allProjections().map((p) => p.name).join(', ')}) or all`)
    .description(
      'build a read model again from the start of the log beside the live one, while Siren keeps running, then swap it in atomically',
    )
    .option('--batch-size <n>', 'events read per page of the log (and written per transaction)', (v) => positiveInt('--batch-size', v), 5000)
    .option(
      '--lock-timeout <ms>',
      'longest one swap attempt waits for a long query on the live tables (readers queue behind it meanwhile) before it rolls back and tries again, up to 30 times',
      (v) => positiveInt('--lock-timeout', v),
      2000,
    )
    .option('--json', 'print what was rebuilt as JSON (no progress bar)')
    .action(async (name: string, opts: { batchSize: number; lockTimeout: number; json?: boolean }) => {
      const targets = chosen(name);
      const results = await withEventStore((store, config) =>
        // A connection per copy being built (they are written side by side), and one to spare.
        withReadModels(config.eventStore, { poolSize: Math.max(4, targets.length + 1) }, async (db) => {
          // One bar while the copies are built together (one read of the log), then a line per swap.
          const label = targets.length === 1 ? targets[0].name : `${targets.length} read models`;
          const bar = progressBar(label.padEnd(22), !opts.json && process.stderr.isTTY === true, { rate: 'events' });
          const done = await rebuildProjections({
            store, db, targets, projections: allProjections(), batchSize: opts.batchSize, onProgress: barUpdater(bar, targets.map((p) => p.name).join(', ')),
            swap: {
              lockTimeoutMs: opts.lockTimeout,
              onWait: (w) =>
                process.stderr.write(
                  `\nswap of ${w.projection} waited ${w.lockTimeoutMs} ms for its tables (a long query?); trying again (attempt ${w.attempt + 1} of ${w.attempts})\n`,
                ),
            },
          }).finally(() => bar.stop());
          if (!opts.json) for (const result of done) process.stdout.write(resultLine(result));
          return done;
        }),
      );
      if (opts.json) process.stdout.write(JSON.stringify(results.map((r) => ({ ...r, position: Number(r.position) })), null, 2) + '\n');
    });
  return projections;
}

/** The projections `name` designates; an unknown name is refused with the valid ones. */
function chosen(name: string): Projection[] {
  const all = allProjections();
  if (name === 'all') return all;
  const match = all.filter((p) => p.name === name);
  if (match.length === 0) {
    throw new DomainError('UNKNOWN_PROJECTION', `no read model named ${JSON.stringify(name)}; choose one of ${all.map((p) => p.name).join(', ')} or all`);
  }
  return match;
}

async function withReadModels<T>(
  config: EventStoreConfig,
  options: { poolSize?: number },
  work: (db: ReadModelDatabase) => Promise<T>,
): Promise<T> {
  const db = await openReadModels(config, options);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** Stands in for a read-model database that does not exist: no schema, no checkpoints. */
const emptyDatabase = {
  query: async <R>(sql: string): Promise<R[]> => (sql.includes('to_regclass') ? ([{ exists: false }] as R[]) : []),
  exec: async () => undefined,
};

/**
 * Feeds the bar from the build's reports, named after all the targets (rebuildProjections); when
 * several are rebuilt, each swap's own reports are left out.
 */
function barUpdater(bar: ReturnType<typeof progressBar>, build: string): (p: RebuildProgress) => void {
  let started = false;
  return (p) => {
    if (p.projection !== build) return;
    const payload = { rate: Math.round(p.eventsPerSecond), etaLeft: p.etaSeconds === null ? '?' : `${Math.ceil(p.etaSeconds)}s` };
    if (!started && p.phase !== 'building') return; // a projection of views only: nothing to count
    if (!started) {
      bar.start(Math.max(p.total, 1), p.events, payload);
      started = true;
    }
    bar.setTotal(Math.max(p.total, p.events, 1));
    bar.update(p.events, payload);
  };
}

function resultLine(r: RebuildResult): string {
  const seconds = r.durationMs / 1000;
  const rate = seconds > 0 ? Math.round(r.events / seconds) : r.events;
  return `rebuilt ${r.projection} v${r.version}: ${r.events} events in ${seconds.toFixed(1)} s (${rate} events/s), swapped in at position ${r.position}\n`;
}

function statusJson(s: StoredProjectionStatus) {
  const n = (v: bigint | null) => (v === null ? null : Number(v));
  return { ...s, checkpoint: n(s.checkpoint), head: Number(s.head), lag: n(s.lag), rebuildCheckpoint: n(s.rebuildCheckpoint) };
}

function statusTable(statuses: StoredProjectionStatus[]): string {
  const header = ['name', 'version', 'checkpoint', 'head', 'lag', 'state'];
  const rows = statuses.map((s) => [
    s.name,
    s.servingVersion === null ? String(s.version) : `${s.version} (serving ${s.servingVersion})`,
    s.checkpoint === null ? '-' : String(s.checkpoint),
    String(s.head),
    s.lag === null ? '-' : String(s.lag),
    s.state + (s.error ? `: ${s.error}` : s.rebuildCheckpoint !== null ? ` (at ${s.rebuildCheckpoint})` : ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}

function positiveInt(option: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new DomainError('INVALID_OPTION', `${option} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}
