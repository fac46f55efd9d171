import type { RecordedEvent } from '../../src/eventstore/event-store.port';
import { allProjections } from '../../src/projections';
import { inlineStatement, Params, position, text, upsert } from '../../src/projections/sql';

const recorded = (type: string, data: object, streamId = 'call-A', pos = 7n): RecordedEvent => ({
  id: '00000000-0000-0000-0000-000000000000',
  streamId,
  revision: 0,
  position: pos,
  type,
  schemaVersion: 1,
  data,
  metadata: { occurredAt: '2026-11-20T09:00:00Z', prevHash: '', hash: '' },
});

describe('projection handlers', () => {
  it('ignore events they do not project', () => {
    for (const p of allProjections().filter((x) => x.name !== 'agents')) {
      expect(p.handle(recorded('AgentRegistered', { agentId: 'a' }, 'agent-a'))).toEqual([]);
    }
    for (const p of allProjections()) expect(p.handle(recorded('SomethingElse', { callId: 'A' }))).toEqual([]);
  });

  it('write every row with the position it reflects, guarded so an older or equal position is a no-op', () => {
    // agents projects no call events; reports holds views only and projects no events at all.
    for (const p of allProjections().filter((x) => !['agents', 'reports'].includes(x.name))) {
      const statements = p.handle(recorded('DtmfPressed', { callId: 'A', digit: '1', source: 'dtmf', at: '2026-11-20T09:00:00Z' }));
      expect(statements.length).toBeGreaterThan(0);
      for (const s of statements) {
        expect(s.sql).toMatch(/last_position/);
        expect(s.params).toContain('7');
      }
    }
  });

  it('campaign counters only move for calls of a campaign', () => {
    const campaigns = allProjections().find((p) => p.name === 'campaigns')!;
    const base = { callId: 'A', agentId: 'a', phone: '+1', attempt: 1, trackingId: 'T', kind: 'autodial', at: '2026-11-20T09:00:00Z' };
    expect(campaigns.handle(recorded('CallRequested', base))).toEqual([]);
    expect(campaigns.handle(recorded('CallRequested', { ...base, campaignId: 'c' }))).toHaveLength(1);
    expect(campaigns.handle(recorded('DtmfPressed', { callId: 'A', digit: '5', source: 'dtmf', at: base.at }))).toEqual([]);
  });
});

describe('sql helpers', () => {
  it('build an upsert that never blanks a column the event does not know', () => {
    const s = upsert({ table: 'siren_rm.t', key: { id: text('x') }, set: { a: text('1'), b: text(undefined) }, at: 9n });
    expect(s.sql).toBe(
      'INSERT INTO siren_rm.t AS t (id, a, last_position) VALUES ($1::text, $2::text, $3::bigint)\n' +
        'ON CONFLICT (id) DO UPDATE SET a = excluded.a, last_position = excluded.last_position\n' +
        'WHERE excluded.last_position > t.last_position',
    );
    expect(s.params).toEqual(['x', '1', '9']);
  });

  it('inline parameters as escaped literals in one pass', () => {
    const p = new Params();
    const sql = `SELECT ${p.add(text("it's \\ $2"))}, ${p.add(text(null))}, ${p.add(position(12n))}, ${p.add({ type: 'numeric', value: 1.5 })}`;
    expect(inlineStatement({ sql, params: p.values })).toBe(
      "SELECT  E'it''s \\\\ $2'::text, NULL::text, '12'::bigint, 1.5::numeric",
    );
    expect(() => inlineStatement({ sql: 'SELECT $1', params: [Number.NaN] })).toThrow(/NaN/);
    expect(() => inlineStatement({ sql: 'SELECT $2', params: [1] })).toThrow(/no parameter \$2/);
  });
});
