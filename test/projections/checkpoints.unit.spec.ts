import { advanceCheckpointsStatement, notMoved } from '../../src/projections/checkpoints';

describe('advanceCheckpointsStatement (the checkpoints move inlined in a batch\'s BEGIN)', () => {
  const move = (name: string, expected = 7n, next = 9n) => ({ projection: { name, version: 2 }, expected, next });

  it('inlines the moves as one quoted JSON literal, positions as text', () => {
    const sql = advanceCheckpointsStatement([move('calls'), move('agents', 0n, 12345678901234567890n)], 'siren_rm');
    expect(sql).toContain(`jsonb_to_recordset('[{"name":"calls","version":2,"expected":"7","next":"9"},{"name":"agents","version":2,"expected":"0","next":"12345678901234567890"}]'::jsonb)`);
    expect(sql).toContain('UPDATE siren_rm.projection_checkpoints c');
    expect(sql).not.toMatch(/\$\d/);
  });

  it('refuses a projection name that is not a plain identifier, and a schema name likewise', () => {
    expect(() => advanceCheckpointsStatement([move("calls'); DROP TABLE x; --")])).toThrow(/invalid projection name/);
    expect(() => advanceCheckpointsStatement([move('calls')], 'siren_rm; DROP')).toThrow(/invalid read-model schema name/);
  });

  it('notMoved names the moves the statement did not return', () => {
    expect(notMoved([move('calls'), move('agents')], [{ name: 'agents' }])).toEqual(['calls']);
    expect(notMoved([move('calls')], [{ name: 'calls' }])).toEqual([]);
  });
});
