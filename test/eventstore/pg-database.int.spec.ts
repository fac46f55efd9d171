import { Pool } from 'pg';
import { PgDatabase } from '../../src/eventstore/postgres/pg-database';

/**
 * A statement the server refuses (the one-round-trip append on a head another writer moved fails
 * on a unique constraint) must not cost the pooled connection: closing it would drop the
 * statements prepared on it, and the next statement would wait for a new connection.
 */
const DATABASE_URL = process.env.DATABASE_URL;

(DATABASE_URL ? describe : describe.skip)('PgDatabase on PostgreSQL', () => {
  let pool: Pool;
  let db: PgDatabase;
  beforeAll(() => {
    pool = new Pool({ connectionString: DATABASE_URL, max: 1 });
    db = new PgDatabase(pool, { connectionString: DATABASE_URL });
  });
  afterAll(async () => {
    await pool.end();
  });

  it('keeps the connection, and what was prepared on it, after a statement the server refused', async () => {
    const named = { name: 'siren_test_divide', text: 'SELECT 10 / $1::int AS q, pg_backend_pid() AS pid' };
    const [before] = await db.query<{ q: number; pid: number }>(named, [2]);
    expect(before.q).toBe(5);
    await expect(db.query(named, [0])).rejects.toMatchObject({ code: '22012' }); // division by zero
    const [after] = await db.query<{ q: number; pid: number }>(named, [5]);
    expect(after).toEqual({ q: 2, pid: before.pid });
    expect(pool.totalCount).toBe(1);
  });
});
