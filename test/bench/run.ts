import 'reflect-metadata';
import { join } from 'node:path';
import { amiIngestSection } from './ami-ingest.bench';
import { writeSection } from './benchmarks-file';
import { eventStoreBench } from './event-store.bench';
import { benchOriginateRate, originateRateSection, serverVersion } from './originate-rate.bench';
import { readModelsBench, readModelsBenchOptions } from './read-models.bench';

/**
 * `npm run bench`: prints each benchmark's table and writes it into BENCHMARKS.md. PostgreSQL
 * figures need a server: DATABASE_URL, or the local one at 127.0.0.1:5432 if it answers.
 * BENCH_SCALE (default 1) multiplies the event counts. BENCH_ONLY=<section,…> runs only those
 * sections (event-store, ami-ingest, originate-rate, read-models). BENCH_FILE writes elsewhere.
 */
async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL || (await localServer());
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  // BENCH_FILE: write somewhere else (a trial run that must not replace the committed figures).
  const file = process.env.BENCH_FILE ?? join(__dirname, '..', '..', '..', 'BENCHMARKS.md');
  const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((name) => name.trim())) : undefined;
  const run = async (name: string, bench: () => Promise<string>) => {
    if (only && !only.has(name)) return;
    process.stderr.write(`${name} benchmark\n`);
    const section = await bench();
    process.stdout.write(`${section}\n`);
    writeSection(file, name, section);
  };

  if (!serverUrl) process.stderr.write('no PostgreSQL server: PGlite only\n');
  await run('event-store', () => eventStoreBench(serverUrl, scale));
  await run('ami-ingest', () => amiIngestSection(100_000 * scale));
  await run('originate-rate', async () =>
    originateRateSection(await benchOriginateRate(serverUrl ? { serverUrl } : {}), serverUrl ? await serverVersion(serverUrl) : ''),
  );
  await run('read-models', () => readModelsBench(serverUrl, readModelsBenchOptions(scale)));
  process.stderr.write(`written to ${file}\n`);
}

async function localServer(): Promise<string | undefined> {
  const url = 'postgres://postgres@127.0.0.1:5432/test';
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch {
    return undefined;
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
