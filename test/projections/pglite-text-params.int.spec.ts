import { openPgliteReadModelDatabase, ReadModelDatabase } from '../../src/projections/read-model-database';

/**
 * The PGlite read-model database sends a statement's parameters one of three ways: inlined as
 * literals into an EXECUTE of the statement prepared once (up to 16 KiB of them in all), long text
 * as its UTF-8 bytes (binary format, see textAsBytes), the rest as PGlite binds them. The server
 * must receive exactly the values, whatever they hold, on both sides of each threshold, inside
 * and outside a transaction.
 */
describe('pglite read-model database: parameters', () => {
  let db: ReadModelDatabase;
  beforeAll(async () => {
    db = await openPgliteReadModelDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  const awkward = `q"uote 'single' \\back\\slash \n\r\t ünïcødé € 日本 😀 \u2028`;
  const texts = ['', 'x', awkward, awkward.repeat(30), 'a'.repeat(1023), 'a'.repeat(1024), JSON.stringify([{ s: awkward.repeat(100) }]), awkward.repeat(400)];

  it.each(texts.map((t) => [t.length, t]))('round-trips a %i-character string', async (_length, text) => {
    const sql = `SELECT $1::text AS t, length($1::text) AS n, $2::bigint::text AS b, $3::text[] AS a`;
    const expected = { t: text, n: [...text].length, b: '9007199254740993', a: ['x', text] };
    expect(await db.query(sql, [text, '9007199254740993', ['x', text]])).toEqual([expected]);
    expect(await db.transaction((tx) => tx.query(sql, [text, '9007199254740993', ['x', text]]))).toEqual([expected]);
  });

  it('reads a long JSON rows parameter as json', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ k: `${awkward}-${i}`, n: i }));
    const out = await db.query<{ k: string; n: number }>(`SELECT k, n FROM json_to_recordset($1::text::json) AS r(k text, n int) ORDER BY n`, [JSON.stringify(rows)]);
    expect(out).toEqual(rows);
  });

  it('reads numbers, booleans, NULL and arrays as PostgreSQL would read them bound, prepared or not', async () => {
    const sql = `SELECT $1::bigint::text AS big, $2::int AS n, $3::numeric::text AS x, $4::boolean AS yes, $5::text AS none, $6::text[] AS a, $7::int[] AS ints, $8::text AS pad`;
    const params = (pad: string) => ['-9007199254740993', 42, 0.5, false, null, [awkward, 'NULL', '', 'a,b', '{x}'], [1, -2, 3], pad];
    const expected = (pad: string) => ({ big: '-9007199254740993', n: 42, x: '0.5', yes: false, none: null, a: [awkward, 'NULL', '', 'a,b', '{x}'], ints: [1, -2, 3], pad });
    for (const pad of ['', 'p'.repeat(20_000)]) {
      expect(await db.query(sql, params(pad))).toEqual([expected(pad)]);
      expect(await db.transaction((tx) => tx.query(sql, params(pad)))).toEqual([expected(pad)]);
    }
  });

  it('runs a statement PREPARE does not take (EXPLAIN) with its parameters bound', async () => {
    const rows = await db.query<{ 'QUERY PLAN': string }>('EXPLAIN SELECT $1::int + 1', [1]);
    expect(rows[0]['QUERY PLAN']).toMatch(/Result/);
  });
});
