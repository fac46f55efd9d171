import { ReadModelDatabase } from '../../src/projections';
import { batchSettings } from '../../src/projections/schema-scope';
import { openPgliteFixture, openPostgresFixture } from './read-model-fixtures';

/**
 * A batch's statements find rows by key. The planner, guessing 100 rows for the batch's unnested
 * parameter and trusting statistics taken when the table was small, would rather hash the batch and
 * scan the whole table -- on every batch, slower as the table grows. batchSettings leave it
 * nested loops over the primary key. Checked here on the plan of the shape every handler uses.
 */
const DATABASE_URL = process.env.DATABASE_URL;

const UPDATE_BY_KEYS = `EXPLAIN UPDATE calls AS t SET status = j->>'status'
  FROM jsonb_array_elements($1::text::jsonb) j WHERE t.call_id = j->>'call_id'`;

async function planWithStaleStatistics(db: ReadModelDatabase, guarded: boolean): Promise<string> {
  await db.exec(`DROP SCHEMA IF EXISTS plan_test CASCADE; CREATE SCHEMA plan_test;
    CREATE TABLE plan_test.calls (call_id text PRIMARY KEY, status text NOT NULL);
    INSERT INTO plan_test.calls SELECT 'c' || i, 'ringing' FROM generate_series(1, 20) i;
    ANALYZE plan_test.calls;
    INSERT INTO plan_test.calls SELECT 'c' || i, 'ringing' FROM generate_series(21, 5000) i`);
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ 'QUERY PLAN': string }>(UPDATE_BY_KEYS, [JSON.stringify([{ call_id: 'c7', status: 'answered' }])]);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }, guarded ? batchSettings('plan_test') : 'SET LOCAL search_path TO plan_test');
}

const backends: [string, () => Promise<{ db: ReadModelDatabase; close(): Promise<void> }>][] = [
  ['pglite', () => openPgliteFixture()],
  ...(DATABASE_URL ? [['postgres', () => openPostgresFixture(DATABASE_URL, 'siren_batch_plan')] as [string, () => Promise<{ db: ReadModelDatabase; close(): Promise<void> }>]] : []),
];

describe.each(backends)('batch settings on %s', (_name, open) => {
  it('look rows up by primary key even where the planner would hash the batch and scan the table', async () => {
    const { db, close } = await open();
    try {
      const unguarded = await planWithStaleStatistics(db, false);
      // The trap is real here: without the settings the planner scans the table.
      expect(unguarded).toMatch(/Seq Scan on calls/);
      const guarded = await planWithStaleStatistics(db, true);
      expect(guarded).toMatch(/Nested Loop/);
      expect(guarded).toMatch(/Index Scan using calls_pkey/);
      expect(guarded).not.toMatch(/Seq Scan on calls|Hash Join|Merge Join/);
    } finally {
      await close();
    }
  });
});
