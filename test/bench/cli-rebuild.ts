import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** What `siren projections rebuild all` cost, measured from outside the process. */
export interface CliRebuildResult {
  /** The process, from spawn to exit (start-up and connections included). */
  seconds: number;
  /** The rebuild itself, as the command reports it: from its first read to its last swap. */
  rebuildSeconds: number;
  /** Events the rebuild applied (from its --json output: the build plus each swap's catch-up). */
  events: number;
  peakRssMb: number;
  /** CPU seconds of the siren process (user + system). */
  cpuSeconds: number;
}

const ROOT = join(__dirname, '..', '..', '..');
const SIREN_BIN = join(ROOT, 'bin', 'siren.js');
/** The preload is plain JS next to its source; dist/ holds only compiled TypeScript. */
const REPORT_USAGE = join(ROOT, 'test', 'bench', 'report-usage.js');

/**
 * Runs the admin's command, `siren projections rebuild all --json`, as its own process with
 * `env` (DATABASE_URL, or SIREN_DATA_DIR for the embedded stores), so its peak RSS is the
 * rebuild's alone — not the benchmark's, which generated the log. `whileRunning` is called every
 * 500 ms (e.g. to sample the database server's CPU).
 */
export async function cliRebuild(env: Record<string, string>, batchSize: number, whileRunning?: () => void): Promise<CliRebuildResult> {
  const dir = mkdtempSync(join(tmpdir(), 'siren-bench-usage-'));
  const usageFile = join(dir, 'usage.json');
  const t0 = performance.now();
  const timer = whileRunning ? setInterval(whileRunning, 500) : null;
  try {
    const child = spawn(process.execPath, ['--require', REPORT_USAGE, SIREN_BIN, 'projections', 'rebuild', 'all', '--json', '--batch-size', String(batchSize)], {
      env: { PATH: process.env.PATH ?? '', ...env, BENCH_USAGE_FILE: usageFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const seconds = (performance.now() - t0) / 1000;
    if (code !== 0) throw new Error(`siren projections rebuild all exited with ${code}: ${stderr.trim().slice(-2000)}`);
    const results = JSON.parse(stdout) as { projection: string; events: number; durationMs: number }[];
    const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssKb: number; cpuSeconds: number };
    // Every read model is built from the same read of the log: the largest count is the log's.
    const events = Math.max(...results.map((r) => r.events));
    const rebuildSeconds = Math.max(...results.map((r) => r.durationMs)) / 1000;
    return { seconds, rebuildSeconds, events, peakRssMb: usage.maxRssKb / 1024, cpuSeconds: usage.cpuSeconds };
  } finally {
    if (timer) clearInterval(timer);
    rmSync(dir, { recursive: true, force: true });
  }
}
