import { allProjections } from '../../src/projections';
import type { ReadModelQueryable } from '../../src/projections';
import { columnsOf, foldRows, rowsParam, rowTable, Writes } from '../../src/projections/sql';
import { recorded } from './recorded-event';


describe('projection handlers', () => {
  it('ignore events they do not project', () => {
    for (const p of allProjections().filter((x) => x.name !== 'agents')) {
      expect(p.handle(recorded('AgentRegistered', { agentId: 'a' }, 'agent-a'))).toEqual([]);
    }
    for (const p of allProjections()) expect(p.handle(recorded('SomethingElse', { callId: 'A' }))).toEqual([]);
  });

  it('carry the position of their event into every change, and leave the SQL to plan()', () => {
    // agents projects no call events; reports holds views only and projects no events at all.
    for (const p of allProjections().filter((x) => !['agents', 'reports'].includes(x.name))) {
      const changes = p.handle(recorded('DtmfPressed', { callId: 'A', digit: '1', source: 'dtmf', at: '2026-11-20T09:00:00Z' }));
      expect(changes.length).toBeGreaterThan(0);
      for (const c of changes) {
        expect(c).not.toHaveProperty('sql');
        expect(Object.values(c)).toContain(7n);
      }
      expect(p.plan).toBeDefined();
    }
  });

  it('fold a call\'s events into row changes keyed by the call, digits as they come', () => {
    const calls = allProjections().find((p) => p.name === 'calls')!;
    expect(calls.handle(recorded('DtmfPressed', { callId: 'A', digit: '5', source: 'dtmf', at: '2026-11-20T09:00:00Z' }))).toEqual([
      { op: 'row', key: 'A', at: 7n, set: { digits: '5' } },
    ]);
  });

  it('campaign counters only move for calls of a campaign', () => {
    const campaigns = allProjections().find((p) => p.name === 'campaigns')!;
    const base = { callId: 'A', agentId: 'a', phone: '+1', attempt: 1, trackingId: 'T', kind: 'autodial', at: '2026-11-20T09:00:00Z' };
    expect(campaigns.handle(recorded('CallRequested', base))).toEqual([]);
    expect(campaigns.handle(recorded('CallRequested', { ...base, campaignId: 'c' }))).toHaveLength(1);
    expect(campaigns.handle(recorded('DtmfPressed', { callId: 'A', digit: '5', source: 'dtmf', at: base.at }))).toEqual([]);
  });
});

/** Runs `writes` against a recorder instead of a database. */
async function recorded_(writes: Writes): Promise<{ sql: string; params: unknown[] }[]> {
  const seen: { sql: string; params: unknown[] }[] = [];
  const tx: ReadModelQueryable = {
    query: async (sql, params = []) => {
      seen.push({ sql, params: [...params] });
      return [];
    },
    exec: async () => undefined,
  };
  await writes.run(tx);
  return seen;
}

describe('batch fold', () => {
  const calls = rowTable(allProjections().find((p) => p.name === 'calls')!.schemaSql, 'calls_v1', 'call_id', { digits: 'concat' });

  it('drops what a row already reflects, appends digits, lets the latest value win, in one statement', async () => {
    const writes = new Writes();
    foldRows(writes, calls, new Map([['B', 10n]]), [
      { key: 'A', at: 5n, set: { status: 'requested', phone: '+1', cause_text: undefined } },
      { key: 'B', at: 9n, set: { digits: '7' } }, // B reflects position 10 already
      { key: 'A', at: 6n, set: { digits: '1' } },
      { key: 'B', at: 11n, set: { digits: '2', cause_text: null } },
      { key: 'A', at: 7n, set: { digits: '2', status: 'answered' } },
    ]);
    const [statement, ...more] = await recorded_(writes);
    expect(more).toEqual([]);
    // New row A: inserted whole; stored row B: updated, guarded by its position.
    expect(JSON.parse(statement.params[0] as string)).toEqual([{ call_id: 'A', last_position: '7', status: 'answered', phone: '+1', digits: '12' }]);
    expect(JSON.parse(statement.params[1] as string)).toEqual([{ call_id: 'B', last_position: '11', digits: '2', cause_text: null }]);
    expect(statement.sql).toMatch(/digits = CASE WHEN j \? 'digits' THEN t\.digits \|\| \(j->>'digits'\) ELSE t\.digits END/);
    expect(statement.sql).toMatch(/t\.last_position < \(j->>'last_position'\)::bigint/);
  });

  it('sums numeric counters in PostgreSQL (exactly), integer counters in place', async () => {
    const campaigns = allProjections().find((p) => p.name === 'campaigns')!;
    const spec = rowTable(campaigns.schemaSql, 'campaigns_v1', 'campaign_id', { talk_seconds: 'add', calls_ended: 'add' });
    const writes = new Writes();
    foldRows(writes, spec, new Map(), [
      { key: 'c', at: 1n, set: { talk_seconds: 0.1, calls_ended: 1 } },
      { key: 'c', at: 2n, set: { talk_seconds: 0.2, calls_ended: 1 } },
    ]);
    const [statement] = await recorded_(writes);
    expect(JSON.parse(statement.params[0] as string)).toEqual([{ campaign_id: 'c', last_position: '2', talk_seconds: ['0.1', '0.2'], calls_ended: 2 }]);
    expect(statement.sql).toMatch(/sum\(x::numeric\)/);
  });
});

describe('sql helpers', () => {
  it('read column types and defaults from the schema file, the one place they are written', () => {
    const calls = allProjections().find((p) => p.name === 'calls')!;
    const columns = columnsOf(calls.schemaSql, 'calls_v1');
    expect(columns.call_id).toEqual({ type: 'text' });
    expect(columns.status).toEqual({ type: 'text', default: "'requested'" });
    expect(columns.digits).toEqual({ type: 'text', default: "''" });
    expect(columns.ring_seconds).toEqual({ type: 'numeric' });
    expect(columns.last_position).toEqual({ type: 'bigint' });
    expect(Object.keys(columns)).toHaveLength(30);
    for (const p of allProjections()) {
      for (const t of p.tables) expect(Object.keys(columnsOf(p.schemaSql, t))).toContain('last_position');
    }
  });

  it('send rows as one JSON parameter: positions as text, never a number that is not finite', () => {
    expect(rowsParam([{ a: "it's \\ $2", b: null, p: 12n, n: 1.5 }])).toBe('[{"a":"it\'s \\\\ $2","b":null,"p":"12","n":1.5}]');
    expect(() => rowsParam([{ n: Number.NaN }])).toThrow(/NaN/);
  });
});
