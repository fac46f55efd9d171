import {
  allProjections,
  campaignStatsHourlyProjection,
  ProjectionRunner,
  setCheckpoint,
} from '../../src/projections';
import { readCampaignReport, readSummaryReport, reportedPosition, type SummaryDimension } from '../../src/reports';
import { DomainError } from '../../src/shared/domain-error';
import { openPgliteFixture, openPostgresFixture, ReadModelFixture as Fixture } from '../projections/read-model-fixtures';
import { CAMPAIGN, OLD_CAMPAIGN } from '../projections/scenario';
import { appendReportDay, CALLS, expectedFigures, expectedMix, ExpectedCall, groupCalls, REP, REP_NAME } from './report-scenario';

/**
 * The report queries (src/reports) over read models the runner built from a real event store, on
 * PGlite always and on PostgreSQL when DATABASE_URL is set. Every expected figure is computed in
 * report-scenario.ts from the calls the scenario made, never read back from SQL.
 */
const DATABASE_URL = process.env.DATABASE_URL;

reportQueries('pglite', () => openPgliteFixture());

if (DATABASE_URL) {
  reportQueries('postgres', () => openPostgresFixture(DATABASE_URL, 'siren_reports'));
}

const KEY_OF: Record<SummaryDimension, (c: ExpectedCall) => string> = {
  campaign: (c) => c.campaign,
  trunk: (c) => c.trunk,
  agent: (c) => c.agent,
  hour: (c) => c.hour,
};

function reportQueries(label: string, open: () => Promise<Fixture>): void {
  describe(`report queries on ${label}`, () => {
    let fx: Fixture;
    beforeAll(async () => {
      fx = await open();
      await appendReportDay(fx.store);
      const runner = new ProjectionRunner({ store: fx.store, db: fx.db, projections: allProjections(), batchSize: 50 });
      await runner.start();
      await runner.waitFor(await fx.store.headPosition());
      await runner.stop();
    });
    afterAll(() => fx?.close());

    it('reports a campaign: settings, state, calls by state, rates and disposition mix', async () => {
      const rep = CALLS.filter((c) => c.campaign === REP);
      const ended = rep.filter((c) => c.disposition !== undefined);
      const report = await readCampaignReport(fx.db, REP);
      expect(report).toEqual({
        campaignId: REP,
        campaign: {
          name: REP_NAME, agentId: 'ag-2', timeZone: 'Europe/London', windowStart: '08:00', windowEnd: '21:00', route: 'us', callerId: null,
          maxConcurrentCalls: 10, maxAttempts: 3, contacts: 12, state: 'running',
          createdAt: '2026-11-20T08:30:00Z', startedAt: '2026-11-20T08:32:00Z', pausedAt: null, endedAt: null, cancelReason: null,
          calls: {
            total: rep.length,
            dialing: rep.filter((c) => !c.answered && c.disposition === undefined).length,
            talking: rep.filter((c) => c.answered && c.disposition === undefined).length,
            ended: ended.length,
            answered: rep.filter((c) => c.answered).length,
            pressedOne: rep.filter((c) => c.pressedOne).length,
            retriesScheduled: 0,
            talkSeconds: ended.reduce((s, c) => s + c.talk, 0),
            billableSeconds: ended.reduce((s, c) => s + c.billable, 0),
          },
        },
        figures: expectedFigures(rep),
        dispositions: expectedMix(rep),
      });
      // The scenario's shape, spelled out once so a wrong helper cannot hide a wrong report.
      expect(report.campaign!.calls).toMatchObject({ total: 12, dialing: 1, talking: 1, ended: 10 });
      expect(report.figures).toMatchObject({ attempts: 12, originated: 10, answered: 6, answerRate: 0.5, asr: 0.6, acdSeconds: 25.1, pressedOneRate: 0.5 });
    });

    it('reports camp-1 (paused then resumed, one retry scheduled) and a campaign without calls', async () => {
      const camp1 = await readCampaignReport(fx.db, CAMPAIGN);
      expect(camp1.campaign).toMatchObject({ name: 'Spring promo', state: 'running', pausedAt: '2026-11-20T09:00:15Z', calls: { total: 3, retriesScheduled: 1 } });
      expect(camp1.figures).toEqual(expectedFigures(CALLS.filter((c) => c.campaign === CAMPAIGN)));
      const old = await readCampaignReport(fx.db, OLD_CAMPAIGN);
      expect(old.campaign).toMatchObject({ state: 'created', calls: { total: 0 } });
      expect(old.figures).toEqual(expectedFigures([]));
      expect(old.dispositions).toEqual([]);
    });

    it('refuses an unknown campaign with a stable code', async () => {
      const error = await readCampaignReport(fx.db, 'nope').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'REPORT_UNKNOWN_CAMPAIGN', message: 'unknown campaign: nope' });
    });

    it.each(['campaign', 'trunk', 'agent', 'hour'] as const)('summarises all time by %s, with a total', async (by) => {
      const report = await readSummaryReport(fx.db, { by });
      expect(report.rows).toEqual(groupCalls(CALLS, KEY_OF[by]).map(([key, calls]) => ({ key, ...expectedFigures(calls) })));
      expect(report.total).toEqual(expectedFigures(CALLS));
      expect([report.from, report.to]).toEqual([null, null]);
    });

    it('summarises only the hours in [from, to)', async () => {
      const from = new Date('2026-11-20T10:00:00Z');
      const to = new Date('2026-11-20T11:00:00Z');
      const inHour10 = CALLS.filter((c) => c.hour === '2026-11-20T10:00:00Z');
      const report = await readSummaryReport(fx.db, { by: 'trunk', from, to });
      expect(report.rows).toEqual(groupCalls(inHour10, KEY_OF.trunk).map(([key, calls]) => ({ key, ...expectedFigures(calls) })));
      expect(report.rows.map((r) => r.key)).toEqual(['tr-a', 'tr-b']);
      expect(report.total.attempts).toBe(7);

      const before10 = await readSummaryReport(fx.db, { by: 'campaign', to: from });
      expect(before10.total).toEqual(expectedFigures(CALLS.filter((c) => c.hour === '2026-11-20T09:00:00Z')));
      const empty = await readSummaryReport(fx.db, { by: 'agent', from: new Date('2026-11-21T00:00:00Z') });
      expect(empty.rows).toEqual([]);
      expect(empty.total).toEqual(expectedFigures([]));
    });

    it('gives the lowest checkpoint of the reported read models', async () => {
      const head = await fx.store.headPosition();
      expect(await reportedPosition(fx.db)).toBe(head);
      await setCheckpoint(fx.db, campaignStatsHourlyProjection(), head - 3n);
      expect(await reportedPosition(fx.db)).toBe(head - 3n);
      await setCheckpoint(fx.db, campaignStatsHourlyProjection(), head);
    });
  });

  it(`says the read models were never built on an empty ${label} database`, async () => {
    const fresh = await open();
    try {
      const error = await reportedPosition(fresh.db).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'READ_MODELS_NOT_BUILT' });
      expect((error as Error).message).toContain('siren projections rebuild all');
    } finally {
      await fresh.close();
    }
  });
}
