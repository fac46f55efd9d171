import 'reflect-metadata';
import { join } from 'node:path';
import { benchAmiIngest } from './ami-ingest.bench';
import { formatRate, machineLine, markdownTable, writeSection } from './benchmarks-file';
import { eventStoreBench } from './event-store.bench';

/**
 * `npm run bench`: prints each benchmark's table and writes it into BENCHMARKS.md. PostgreSQL
 * figures need a server: DATABASE_URL, or the local one at 127.0.0.1:5432 if it answers.
 * BENCH_SCALE (default 1) multiplies the event counts.
 */
async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL || (await localServer());
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  const file = join(__dirname, '..', '..', '..', 'BENCHMARKS.md');
  process.stderr.write(`event store benchmark${serverUrl ? '' : ' (no PostgreSQL server: PGlite only)'}\n`);
  const section = await eventStoreBench(serverUrl, scale);
  process.stdout.write(`${section}\n`);
  writeSection(file, 'event-store', section);

  process.stderr.write('AMI ingest benchmark\n');
  const runs = [1, 2, 3].map(() => benchAmiIngest(100_000 * scale));
  const ami = [
    '## AMI ingest: parse frames and translate to call commands',
    '',
    machineLine(),
    '',
    'Raw AMI frames of realistic calls (simulator codec) → AmiClient records → translateAmiEvent.',
    'Three runs of 100,000 events; target (issue 3) >= 50,000 events/s.',
    '',
    markdownTable(['run', 'events/s'], runs.map((r, i) => [i + 1, formatRate(r)])),
  ].join('\n');
  process.stdout.write(`${ami}\n`);
  writeSection(file, 'ami-ingest', ami);
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
