import { advanceCheckpointsStatement, notMoved } from '../../src/projections/checkpoints';

describe('advanceCheckpointsStatement (the checkpoints move sent with a batch\'s BEGIN)', () => {
  const move = (name: string, expected = 7n, next = 9n) => ({ projection: { name, version: 2 }, expected, next });

  it('sends the moves as one JSON parameter, positions as text, in a text the same for every batch', () => {
    const a = advanceCheckpointsStatement([move('calls'), move('agents', 0n, 12345678901234567890n)], 'siren_rm');
    expect(JSON.parse(a.params[0] as string)).toEqual([
      { name: 'calls', version: 2, expected: '7', next: '9' },
      { name: 'agents', version: 2, expected: '0', next: '12345678901234567890' },
    ]);
    expect(a.sql).toContain('jsonb_to_recordset($1::jsonb)');
    expect(a.sql).toContain('UPDATE siren_rm.projection_checkpoints c');
    expect(a.sql.match(/\$\d+/g)).toEqual(['$1']);
    expect(advanceCheckpointsStatement([move("o'brien"), move('calls', 1n, 2n)], 'siren_rm').sql).toBe(a.sql);
  });

  it('refuses a schema name that is not a plain identifier', () => {
    expect(() => advanceCheckpointsStatement([move('calls')], 'siren_rm; DROP')).toThrow(/invalid read-model schema name/);
  });

  it('notMoved names the moves the statement did not return', () => {
    expect(notMoved([move('calls'), move('agents')], [{ name: 'agents' }])).toEqual(['calls']);
    expect(notMoved([move('calls')], [{ name: 'calls' }])).toEqual([]);
  });
});
