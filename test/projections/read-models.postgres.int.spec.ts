import { openPostgresEventStore } from '../../src/eventstore/postgres';
import { openPostgresReadModelDatabase } from '../../src/projections';
import { createTestDatabase, TestDatabase } from '../support/postgres-test-db';
import { readModelContract } from './read-model.contract';

/**
 * PostgreSQL: events and read models (schema siren_rm) in the same fresh database per test, on
 * the server in DATABASE_URL. Without it only the server-free test runs.
 */
const DATABASE_URL = process.env.DATABASE_URL;

describe('postgres read-model database: opening', () => {
  it('fails with a clear error when the server cannot be reached', async () => {
    await expect(openPostgresReadModelDatabase('postgres://x@127.0.0.1:1/none', { connectTimeoutMs: 2000 })).rejects.toThrow(
      /^cannot open the read-model database: /,
    );
  });
});

if (DATABASE_URL) {
  readModelContract('postgres', async () => {
    const database: TestDatabase = await createTestDatabase(DATABASE_URL, 'siren_rm_test');
    const store = await openPostgresEventStore(database.url, { idlePollMs: 100 });
    const db = await openPostgresReadModelDatabase(database.url);
    return {
      store,
      db,
      close: async () => {
        await store.close();
        await db.close();
        await database.drop();
      },
    };
  });
} else {
  // eslint-disable-next-line no-console
  console.log('PostgreSQL read-model suite did not run: DATABASE_URL is unset');
}
