import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { EventStore } from '../../src/eventstore/event-store.port';
import { loadPglite, openPgliteEventStore, openPostgresEventStore } from '../../src/eventstore/postgres';
import { createTestDatabase, TestDatabase } from '../support/postgres-test-db';
import { runCli } from '../support/run-cli';

/** Appends a small call history to two streams, then closes the store. */
async function seedCalls(store: EventStore): Promise<void> {
  for (const id of ['call-a', 'call-b']) {
    await store.append(
      id,
      [
        { type: 'CallRequested', data: { callId: id, phone: '+14155550123', attempt: 1 } },
        { type: 'CallAnswered', data: { callId: id } },
        { type: 'DtmfPressed', data: { callId: id, digit: '1' } },
        { type: 'CallHungUp', data: { callId: id, cause: 16, disposition: 'answered' } },
      ],
      { expectedRevision: 'no_stream' },
    );
  }
  await store.close();
}

const TAMPER_SQL = `UPDATE siren_events SET data = jsonb_set(data::jsonb, '{digit}', '"9"')::json WHERE stream_id = 'call-b' AND revision = 2`;

describe('siren audit verify on PGlite', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'siren-audit-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('reports an intact log as OK and exits 0', async () => {
    await seedCalls(await openPgliteEventStore(dataDir));
    const result = await runCli(['audit', 'verify'], { SIREN_DATA_DIR: dataDir });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('verified 2 stream(s), 8 event(s): OK');
    expect(result.code).toBe(0);
  });

  it('names the stream and revision of an event altered in the database and exits 1', async () => {
    await seedCalls(await openPgliteEventStore(dataDir));
    const { PGlite } = loadPglite();
    const db = await PGlite.create(dataDir);
    await db.query(TAMPER_SQL);
    await db.close();

    const result = await runCli(['audit', 'verify', '--json'], { SIREN_DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    expect(report.broken).toEqual([expect.objectContaining({ streamId: 'call-b', revision: 2, reason: 'hash-mismatch' })]);

    const one = await runCli(['audit', 'verify', '--stream', 'call-a'], { SIREN_DATA_DIR: dataDir });
    expect(one.code).toBe(0);
  });
});

// The PostgreSQL case needs a server; CI sets DATABASE_URL (see .ci/run).
const serverUrl = process.env.DATABASE_URL;
if (serverUrl) describe('siren audit verify on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase(serverUrl!, 'siren_audit')));
  afterAll(() => db?.drop());

  it('names the stream and revision of an event altered in PostgreSQL and exits 1', async () => {
    await seedCalls(await openPostgresEventStore(db.url));
    const clean = await runCli(['audit', 'verify'], { DATABASE_URL: db.url });
    expect(clean.code).toBe(0);

    const client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query(TAMPER_SQL);
    await client.end();

    const result = await runCli(['audit', 'verify'], { DATABASE_URL: db.url });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('BROKEN call-b at revision 2');
    expect(result.stdout).not.toContain('BROKEN call-a');
  });
});
