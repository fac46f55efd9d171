import { openPgliteReadModelDatabase, ReadModelDatabase } from '../../src/projections/read-model-database';

/**
 * The PGlite read-model database sends long text parameters as their UTF-8 bytes (binary format,
 * see textAsBytes): the server must receive exactly the string, whatever it holds, on both sides
 * of the length threshold, inside and outside a transaction; other parameter types are untouched.
 */
describe('pglite read-model database: text parameters', () => {
  let db: ReadModelDatabase;
  beforeAll(async () => {
    db = await openPgliteReadModelDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  const awkward = `q"uote 'single' \\back\\slash \n\r\t ünïcødé € 日本 😀 \u2028`;
  const texts = ['', 'x', awkward, awkward.repeat(30), 'a'.repeat(1023), 'a'.repeat(1024), JSON.stringify([{ s: awkward.repeat(100) }])];

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
});
