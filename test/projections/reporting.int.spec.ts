import {
  agentsProjection,
  allProjections,
  applyBatch,
  autodialResponsesProjection,
  campaignStatsHourlyProjection,
  Projection,
  ProjectionRunner,
  setCheckpoint,
} from '../../src/projections';
import { campaignUpcasters } from '../../src/campaigns/campaign.upcasters';
import { upcasterRegistry } from '../../src/shared/upcasters';
import { openPgliteFixture, openPostgresFixture, ReadModelFixture } from './read-model-fixtures';
import { appendAfterScenario, appendAgentSetup, appendReportCalls } from './reporting-scenario';
import { appendScenario, CAMPAIGN } from './scenario';

/**
 * The agents, autodial_responses and campaign_stats_hourly read models and the report views:
 * events appended to a real event store and projected by the runner, on PGlite always and on
 * PostgreSQL when DATABASE_URL is set.
 */
const DATABASE_URL = process.env.DATABASE_URL;
const upcast = upcasterRegistry(campaignUpcasters);
const NEW_PROJECTIONS = [agentsProjection(), autodialResponsesProjection(), campaignStatsHourlyProjection()];

reportingContract('pglite', () => openPgliteFixture());

if (DATABASE_URL) {
  reportingContract('postgres', () => openPostgresFixture(DATABASE_URL, 'siren_rm_test'));
}

/** Values as plain JSON: dates as ISO strings, numbers (pg gives bigint and numeric as text) as numbers. */
function plain(rows: Record<string, unknown>[], numbers: readonly string[] = []): Record<string, unknown>[] {
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        k,
        isDate(v) ? v.toISOString() : v !== null && numbers.includes(k) ? Number(v) : v,
      ]),
    ),
  );
}

/** PGlite's dates come from another realm, where `instanceof Date` is false: go by shape. */
const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

/**
 * Every row of every table of `projections`, sorted on its full content: the shared snapshot()
 * orders by the first two columns only, which ties in campaign_stats_hourly_v1 (4-column key).
 */
async function snapshot(db: ReadModelFixture['db'], projections: readonly Projection[]): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const p of projections) {
    for (const table of p.tables) {
      const rows = plain(await db.query(`SELECT * FROM siren_rm.${table}`));
      result[table] = rows.map((row) => JSON.stringify(row, (_k, v: unknown) => (v === null ? null : typeof v === 'object' ? v : String(v)))).sort();
    }
  }
  return result;
}

const COUNTS = ['attempts', 'originated', 'answered', 'ended', 'answered_ended', 'pressed_one', 'talk_seconds', 'billable_seconds'];
const RATES = ['answer_rate', 'asr', 'acd_seconds', 'pressed_one_rate'];
const DISPOSITION_COUNTS = ['disposition_answered', 'disposition_busy', 'disposition_no_answer', 'disposition_originate_failed', 'disposition_machine', 'disposition_congestion'];

function reportingContract(label: string, open: () => Promise<ReadModelFixture>): void {
  describe(`agents, auto-dial responses, hourly stats and reports on ${label}`, () => {
    let fx: ReadModelFixture;
    let runner: ProjectionRunner | undefined;
    beforeEach(async () => {
      fx = await open();
    });
    afterEach(async () => {
      await runner?.stop();
      runner = undefined;
      await fx.close();
    });
    const runAll = async () => {
      runner = new ProjectionRunner({ store: fx.store, db: fx.db, projections: allProjections(), batchSize: 7 });
      await runner.start();
      await runner.waitFor(await fx.store.headPosition());
    };
    const appendDay = async () => {
      await appendAgentSetup(fx.store);
      await appendScenario(fx.store);
      await appendAfterScenario(fx.store);
    };

    it('projects agents: registration, authorisation, phone, caller ids, route, auto-dial grant and presence', async () => {
      await appendDay();
      await runAll();
      const agents = plain(await fx.db.query('SELECT * FROM siren_rm.agents_v1 ORDER BY agent_id'));
      expect(agents).toHaveLength(2);
      expect(agents[0]).toMatchObject({
        agent_id: 'ag-1', telegram_user_id: '1001', name: "Ann O'Neil", registered_at: '2026-11-20T08:00:00.000Z',
        authorised: true, authorised_by: 'admin-1', authorised_at: '2026-11-20T08:02:00.000Z',
        phone: '+15551110001', manual_caller_id: '+15552220001', autodial_caller_id: '+15552220002', route: 'us',
        autodial_granted: true, autodial_granted_by: 'admin-1',
        // The scenario's malformed AgentStatusChanged (no `to`) in between changed nothing.
        state: 'wrap-up', state_since: '2026-11-20T09:00:21.000Z', state_reason: 'hung up',
      });
      expect(agents[1]).toMatchObject({
        agent_id: 'ag-2', name: 'Bob', authorised: false, authorised_by: 'admin-2', authorised_at: '2026-11-20T08:12:00.000Z',
        phone: null, autodial_granted: false, autodial_granted_by: 'admin-2', state: 'offline', state_since: null,
      });
      const positions = (await fx.store.readStream('agent-ag-1')).map((e) => e.position);
      expect(BigInt(String(agents[0].last_position))).toBe(positions[positions.length - 1]);
    });

    it('records one auto-dial response row per call with a key pressed', async () => {
      await appendDay();
      await runAll();
      const responses = plain(await fx.db.query('SELECT * FROM siren_rm.autodial_responses_v1 ORDER BY call_id'));
      expect(responses).toEqual([
        {
          call_id: 'A', campaign_id: CAMPAIGN, agent_id: 'ag-1', phone: '+15550000001', tracking_id: 'T.A', digits: '121', first_digit: '1',
          pressed_one: true, at: '2026-11-20T09:00:12.000Z', pressed_one_at: '2026-11-20T09:00:12.000Z', last_digit_at: '2026-11-20T09:00:14.000Z',
          last_position: expect.anything(),
        },
        {
          call_id: 'E', campaign_id: null, agent_id: 'ag-2', phone: '+15550000010', tracking_id: 'T.E', digits: '2', first_digit: '2',
          pressed_one: false, at: '2026-11-20T10:15:08.000Z', pressed_one_at: null, last_digit_at: '2026-11-20T10:15:08.000Z',
          last_position: expect.anything(),
        },
      ]);
      // D (agent-first, no keys) and B, C (autodial, no keys) have no row.
    });

    it('counts calls per campaign x trunk x agent x hour, moving a call whole when its trunk becomes known', async () => {
      await appendDay();
      await runAll();
      const rows = plain(
        await fx.db.query(
          `SELECT campaign_id, trunk, agent_id, hour, ${[...COUNTS, ...DISPOSITION_COUNTS].join(', ')} FROM siren_rm.campaign_stats_hourly_v1
           ORDER BY campaign_id, trunk, agent_id, hour`,
        ),
        [...COUNTS, ...DISPOSITION_COUNTS],
      );
      const zero = Object.fromEntries([...COUNTS, ...DISPOSITION_COUNTS].map((c) => [c, 0]));
      const h9 = '2026-11-20T09:00:00.000Z';
      expect(rows).toEqual([
        // E: no trunk requested nor reported.
        { ...zero, campaign_id: '', trunk: '', agent_id: 'ag-2', hour: '2026-11-20T10:00:00.000Z', attempts: 1, originated: 1, answered: 1, ended: 1, answered_ended: 1, talk_seconds: 5, billable_seconds: 5, disposition_answered: 1 },
        // D: outside any campaign, answered by a machine on the trunk it was requested on.
        { ...zero, campaign_id: '', trunk: 'tr-a', agent_id: 'ag-1', hour: h9, attempts: 1, originated: 1, answered: 1, ended: 1, answered_ended: 1, talk_seconds: 4, billable_seconds: 4, disposition_machine: 1 },
        // B busy and C originate-failed; A was requested on tr-a but went out on tr-b and left this bucket.
        { ...zero, campaign_id: CAMPAIGN, trunk: 'tr-a', agent_id: 'ag-1', hour: h9, attempts: 2, originated: 1, ended: 2, disposition_busy: 1, disposition_originate_failed: 1 },
        { ...zero, campaign_id: CAMPAIGN, trunk: 'tr-b', agent_id: 'ag-1', hour: h9, attempts: 1, originated: 1, answered: 1, ended: 1, answered_ended: 1, pressed_one: 1, talk_seconds: 12.4, billable_seconds: 13, disposition_answered: 1 },
      ]);
    });

    it('replaying any batch a second time leaves agents, auto-dial responses and hourly stats unchanged', async () => {
      await appendDay();
      await appendReportCalls(fx.store);
      await runAll();
      await runner!.stop();
      const head = await fx.store.headPosition();
      const clean = await snapshot(fx.db, NEW_PROJECTIONS);
      // agents; responses (A, E, r1, r6, r10) and auto-dial calls; buckets and calls of the hourly stats.
      expect(Object.values(clean).map((rows) => rows.length)).toEqual([2, 5, 14, 8, 15]);
      const events = await fx.store.readAll();
      for (const p of NEW_PROJECTIONS) {
        for (let i = 0; i < events.length; i += 1) {
          for (const size of [1, 3, events.length]) {
            const batch = events.slice(i, i + size);
            const from = i === 0 ? 0n : events[i - 1].position;
            await setCheckpoint(fx.db, p, from);
            await applyBatch(fx.db, p, batch, from, upcast);
          }
        }
        await setCheckpoint(fx.db, p, head);
      }
      expect(await snapshot(fx.db, NEW_PROJECTIONS)).toEqual(clean);
    });

    it('report views give answer rate, ASR, ACD, pressed-1 rate and disposition mix for ten hand-computed calls', async () => {
      await appendReportCalls(fx.store);
      await runAll();
      const view = async (name: string, key: string) =>
        plain(await fx.db.query(`SELECT * FROM siren_rm.${name} ORDER BY ${key}`), [...COUNTS, ...RATES]);
      const totals = (attempts: number, originated: number, answered: number, pressedOne: number, talk: number, billable: number) => ({
        attempts, originated, answered, ended: attempts, answered_ended: answered, pressed_one: pressedOne, talk_seconds: talk, billable_seconds: billable,
      });

      // 10 attempts, 9 reached the network (5's Originate failed), 5 answered (1, 2, 6, 10 and the machine 7),
      // 3 pressed 1; talk 30 + 10.5 + 60 + 5 + 20 = 125.5 s.
      expect(await view('report_campaigns_v1', 'campaign_id')).toEqual([
        { campaign_id: 'rep', ...totals(10, 9, 5, 3, 125.5, 126), answer_rate: 0.5, asr: 0.5556, acd_seconds: 25.1, pressed_one_rate: 0.6 },
      ]);
      // tr-a: 1, 2, 3, 6, 7; tr-b: 4, 5, 8, 9, 10.
      expect(await view('report_trunks_v1', 'trunk')).toEqual([
        { trunk: 'tr-a', ...totals(5, 5, 4, 2, 105.5, 106), answer_rate: 0.8, asr: 0.8, acd_seconds: 26.38, pressed_one_rate: 0.5 },
        { trunk: 'tr-b', ...totals(5, 4, 1, 1, 20, 20), answer_rate: 0.2, asr: 0.25, acd_seconds: 20, pressed_one_rate: 1 },
      ]);
      // ag-1: 1-5 (hour 09); ag-2: 6-10 (hour 10).
      const ag1 = { ...totals(5, 4, 2, 1, 40.5, 41), answer_rate: 0.4, asr: 0.5, acd_seconds: 20.25, pressed_one_rate: 0.5 };
      const ag2 = { ...totals(5, 5, 3, 2, 85, 85), answer_rate: 0.6, asr: 0.6, acd_seconds: 28.33, pressed_one_rate: 0.6667 };
      expect(await view('report_agents_v1', 'agent_id')).toEqual([{ agent_id: 'ag-1', ...ag1 }, { agent_id: 'ag-2', ...ag2 }]);
      const [h9, h10] = ['2026-11-20T09:00:00.000Z', '2026-11-20T10:00:00.000Z'];
      expect(await view('report_hours_v1', 'hour')).toEqual([{ hour: h9, ...ag1 }, { hour: h10, ...ag2 }]);
      expect(await view('report_campaign_hours_v1', 'hour')).toEqual([
        { campaign_id: 'rep', hour: h9, ...ag1 },
        { campaign_id: 'rep', hour: h10, ...ag2 },
      ]);

      const mix = plain(
        await fx.db.query(`SELECT * FROM siren_rm.report_disposition_mix_v1 WHERE dimension IN ('campaign', 'trunk') ORDER BY dimension, key, disposition`),
        ['calls', 'share'],
      );
      expect(mix).toEqual([
        { dimension: 'campaign', key: 'rep', disposition: 'answered', calls: 4, share: 0.4 },
        { dimension: 'campaign', key: 'rep', disposition: 'busy', calls: 1, share: 0.1 },
        { dimension: 'campaign', key: 'rep', disposition: 'congestion', calls: 1, share: 0.1 },
        { dimension: 'campaign', key: 'rep', disposition: 'machine', calls: 1, share: 0.1 },
        { dimension: 'campaign', key: 'rep', disposition: 'no-answer', calls: 2, share: 0.2 },
        { dimension: 'campaign', key: 'rep', disposition: 'originate-failed', calls: 1, share: 0.1 },
        { dimension: 'trunk', key: 'tr-a', disposition: 'answered', calls: 3, share: 0.6 },
        { dimension: 'trunk', key: 'tr-a', disposition: 'busy', calls: 1, share: 0.2 },
        { dimension: 'trunk', key: 'tr-a', disposition: 'machine', calls: 1, share: 0.2 },
        { dimension: 'trunk', key: 'tr-b', disposition: 'answered', calls: 1, share: 0.2 },
        { dimension: 'trunk', key: 'tr-b', disposition: 'congestion', calls: 1, share: 0.2 },
        { dimension: 'trunk', key: 'tr-b', disposition: 'no-answer', calls: 2, share: 0.4 },
        { dimension: 'trunk', key: 'tr-b', disposition: 'originate-failed', calls: 1, share: 0.2 },
      ]);
      const hours = await fx.db.query<{ key: string }>(`SELECT DISTINCT key FROM siren_rm.report_disposition_mix_v1 WHERE dimension = 'hour' ORDER BY key`);
      expect(hours.map((h) => h.key)).toEqual(['2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z']);

      // The pre-aggregated counters agree with the per-call rows of calls_v1.
      const [fromCalls] = plain(
        await fx.db.query(
          `SELECT count(*) AS attempts, count(answered_at) AS answered, sum(talk_seconds) AS talk_seconds, sum(billable_seconds) AS billable_seconds
           FROM siren_rm.calls_v1 WHERE campaign_id = 'rep'`,
        ),
        ['attempts', 'answered', 'talk_seconds', 'billable_seconds'],
      );
      expect(fromCalls).toEqual({ attempts: 10, answered: 5, talk_seconds: 125.5, billable_seconds: 126 });
    });

    it('report rates are NULL, not an error, when a denominator is 0 (calls still ringing)', async () => {
      const { append } = await import('./scenario');
      await append(fx.store, 'call-x', 'CallRequested', {
        callId: 'x', campaignId: 'c', agentId: 'ag', phone: '+1', attempt: 1, trackingId: 'x', kind: 'autodial', at: '2026-11-20T09:59:59Z',
      });
      await runAll();
      const [row] = plain(await fx.db.query('SELECT * FROM siren_rm.report_campaigns_v1'), [...COUNTS, ...RATES]);
      expect(row).toEqual({
        campaign_id: 'c', attempts: 1, originated: 0, answered: 0, ended: 0, answered_ended: 0, pressed_one: 0, talk_seconds: 0, billable_seconds: 0,
        answer_rate: 0, asr: null, acd_seconds: null, pressed_one_rate: null,
      });
      expect(await fx.db.query('SELECT * FROM siren_rm.report_disposition_mix_v1')).toEqual([]);
    });
  });
}
