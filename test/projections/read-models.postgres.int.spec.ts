import { openPostgresReadModelDatabase } from '../../src/projections';
import { openPostgresFixture } from './read-model-fixtures';
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
  readModelContract('postgres', () => openPostgresFixture(DATABASE_URL, 'siren_rm_test'));
} else {
  // eslint-disable-next-line no-console
  console.log('PostgreSQL read-model suite did not run: DATABASE_URL is unset');
}
