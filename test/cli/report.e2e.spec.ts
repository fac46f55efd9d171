import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DISPOSITIONS } from '../../src/calls/disposition';
import type { EventStore } from '../../src/eventstore/event-store.port';
import { openPgliteEventStore, openPostgresEventStore } from '../../src/eventstore/postgres';
import {
  allProjections,
  openPgliteReadModelDatabase,
  openPostgresReadModelDatabase,
  ProjectionRunner,
  type ReadModelDatabase,
} from '../../src/projections';
import { append, CAMPAIGN } from '../projections/scenario';
import { appendReportDay, CALLS, expectedFigures, expectedMix, ExpectedCall, groupCalls, REP, REP_NAME } from '../reports/report-scenario';
import { createTestDatabase, TestDatabase } from '../support/postgres-test-db';
import { runCli } from '../support/run-cli';

/**
 * `siren report` end to end: the events are seeded in a real store, the read models built by the
 * runner in this process, then the built binary reads them. Expected figures come from the
 * scenario's calls (test/reports/report-scenario.ts), never from the output.
 */

/** Seeds the day and builds the read models, then closes both so the CLI can open them. */
async function seedAndProject(store: EventStore, db: ReadModelDatabase): Promise<bigint> {
  try {
    await appendReportDay(store);
    const head = await store.headPosition();
    const runner = new ProjectionRunner({ store, db, projections: allProjections() });
    await runner.start();
    await runner.waitFor(head);
    await runner.stop();
    return head;
  } finally {
    await store.close();
    await db.close();
  }
}

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
/** CSV numbers as numbers, empty fields as null (how the figures compare to expectedFigures). */
const n = (v: string) => (v === '' ? null : Number(v));
const FIGURES = ['attempts', 'originated', 'answered', 'ended', 'answered_ended', 'pressed_one', 'talk_seconds', 'billable_seconds', 'answer_rate', 'asr', 'acd_seconds', 'pressed_one_rate'];
const csvFigures = (record: Record<string, string>) => {
  const [attempts, originated, answered, ended, answeredEnded, pressedOne, talkSeconds, billableSeconds, answerRate, asr, acdSeconds, pressedOneRate] =
    FIGURES.map((f) => n(record[f]));
  return { attempts, originated, answered, ended, answeredEnded, pressedOne, talkSeconds, billableSeconds, answerRate, asr, acdSeconds, pressedOneRate };
};
const byKey = (key: (c: ExpectedCall) => string, calls: readonly ExpectedCall[] = CALLS) =>
  groupCalls(calls, key).map(([k, list]) => ({ key: k, ...expectedFigures(list) }));

describe('siren report on PGlite (SIREN_DATA_DIR)', () => {
  let dir: string;
  let head: bigint;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'siren-report-'));
    env = { SIREN_DATA_DIR: dir };
    head = await seedAndProject(await openPgliteEventStore(dir), await openPgliteReadModelDatabase(join(dir, 'read-models')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const upToDate = () => `read models at position ${head} of ${head} (up to date)\n`;

  it('prints a campaign as a readable report, with freshness on stderr', async () => {
    const result = await runCli(['report', 'campaign', REP], env);
    expect(result.stderr).toBe(upToDate());
    expect(result.code).toBe(0);
    const rep = CALLS.filter((c) => c.campaign === REP);
    const f = expectedFigures(rep);
    const out = result.stdout;
    expect(out).toContain(`Campaign ${REP} — ${REP_NAME}\n`);
    expect(out).toMatch(/^ {2}state +running$/m);
    expect(out).toMatch(/^ {2}calling window +08:00–21:00 Europe\/London$/m);
    expect(out).toMatch(new RegExp(`^ {2}total +${rep.length}$`, 'm'));
    expect(out).toMatch(/^ {2}dialing +1$/m);
    expect(out).toMatch(/^ {2}talking +1$/m);
    expect(out).toMatch(new RegExp(`^ {2}attempts +${f.attempts}$`, 'm'));
    expect(out).toMatch(new RegExp(`^ {2}answer rate +${percent(f.answerRate)}$`, 'm'));
    expect(out).toMatch(new RegExp(`^ {2}ASR +${percent(f.asr)}$`, 'm'));
    expect(out).toMatch(new RegExp(`^ {2}ACD +${f.acdSeconds!.toFixed(1)} s$`, 'm'));
    expect(out).toMatch(new RegExp(`^ {2}pressed-1 rate +${percent(f.pressedOneRate)}$`, 'm'));
    for (const m of expectedMix(rep)) expect(out).toMatch(new RegExp(`^ {2}${m.disposition} +${m.calls} +${percent(m.share)}$`, 'm'));
  });

  it('prints a campaign as one CSV record under a header, quoting its name', async () => {
    const result = await runCli(['report', 'campaign', REP, '--csv'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(upToDate());
    expect(result.stdout.split('\r\n')[0]).toMatch(/^campaign_id,name,agent_id,/);
    const records: Record<string, string>[] = parse(result.stdout, { columns: true });
    expect(records).toHaveLength(1);
    const [r] = records;
    const rep = CALLS.filter((c) => c.campaign === REP);
    expect(r).toMatchObject({ campaign_id: REP, name: REP_NAME, state: 'running', calls_total: '12', calls_dialing: '1', calls_talking: '1', created_at: '2026-11-20T08:30:00Z' });
    expect(csvFigures(r)).toEqual(expectedFigures(rep));
    const mix = expectedMix(rep);
    for (const d of DISPOSITIONS) {
      const expected = mix.find((m) => m.disposition === d);
      const column = d.replace(/-/g, '_');
      expect([d, Number(r[`disposition_${column}`]), Number(r[`share_${column}`])]).toEqual([d, expected?.calls ?? 0, expected?.share ?? 0]);
    }
  });

  it('prints a campaign as JSON with where the read models stand', async () => {
    const result = await runCli(['report', 'campaign', CAMPAIGN, '--json'], env);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const camp1 = CALLS.filter((c) => c.campaign === CAMPAIGN);
    expect(report.figures).toEqual(expectedFigures(camp1));
    expect(report.dispositions).toEqual(expectedMix(camp1));
    expect(report.campaign).toMatchObject({ name: 'Spring promo', calls: { total: 3, retriesScheduled: 1 } });
    expect(report.readModels).toEqual({ position: head.toString(), eventStoreHead: head.toString() });
  });

  it('summarises per campaign by default, as a table ending in a total', async () => {
    const result = await runCli(['report', 'summary'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(upToDate());
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Calls by campaign, all time');
    expect(lines[1].split(/ {2,}/)).toEqual(['campaign', 'attempts', 'originated', 'answered', 'answer rate', 'ASR', 'ACD', 'pressed 1', 'pressed-1 rate']);
    const expected = [...byKey((c) => c.campaign).map((r) => ({ ...r, key: r.key || '(no campaign)' })), { key: 'total', ...expectedFigures(CALLS) }];
    expect(lines.slice(2).map((l) => l.trim().split(/ {2,}/))).toEqual(
      expected.map((e) => [
        e.key, String(e.attempts), String(e.originated), String(e.answered), percent(e.answerRate), percent(e.asr),
        e.acdSeconds === null ? '—' : `${e.acdSeconds.toFixed(1)} s`, String(e.pressedOne), percent(e.pressedOneRate),
      ]),
    );
  });

  it('summarises per trunk over [--from, --to) as CSV', async () => {
    const result = await runCli(['report', 'summary', '--by', 'trunk', '--from', '2026-11-20T10:00Z', '--to', '2026-11-20T12:00+01:00', '--csv'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(upToDate());
    expect(result.stdout.split('\r\n')[0]).toBe(['trunk', ...FIGURES].join(','));
    const records: Record<string, string>[] = parse(result.stdout, { columns: true });
    const inHour10 = CALLS.filter((c) => c.hour === '2026-11-20T10:00:00Z');
    expect(records.map((r) => ({ key: r.trunk, ...csvFigures(r) }))).toEqual(byKey((c) => c.trunk, inHour10));
  });

  it('summarises per agent and per hour as JSON', async () => {
    const agents = JSON.parse((await runCli(['report', 'summary', '--by', 'agent', '--json'], env)).stdout);
    expect(agents.rows).toEqual(byKey((c) => c.agent));
    expect(agents.total).toEqual(expectedFigures(CALLS));
    const hours = await runCli(['report', 'summary', '--by', 'hour', '--json', '--from', '2026-11-20'], env);
    expect(hours.code).toBe(0);
    expect(JSON.parse(hours.stdout)).toMatchObject({ by: 'hour', from: '2026-11-20T00:00:00.000Z', to: null, rows: byKey((c) => c.hour) });
  });

  it.each([
    [['campaign', 'nope'], 'siren: unknown campaign: nope'],
    [['summary', '--from', 'yesterday'], 'siren: --from yesterday: not an ISO-8601 date or date-time (e.g. 2026-11-20 or 2026-11-20T09:00Z)'],
    [['summary', '--to', '2026-11-20T09:30Z'], 'siren: --to 2026-11-20T09:30Z: calls are counted per UTC hour, so the time must be a whole UTC hour (e.g. 2026-11-20T09:00Z)'],
    [['summary', '--from', '2026-11-21', '--to', '2026-11-20'], 'siren: --from 2026-11-21 must be before --to 2026-11-20 (the interval is [from, to))'],
    [['summary', '--by', 'route'], 'siren: --by route: must be one of campaign, trunk, agent, hour'],
  ])('refuses report %j with one line and exit 1', async (args, line) => {
    const result = await runCli(['report', ...args], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${line}\n`);
  });

  it('refuses --csv with --json', async () => {
    const result = await runCli(['report', 'summary', '--csv', '--json'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("option '--json' cannot be used with option '--csv'");
  });

  it.each([['report'], ['report', 'campaign'], ['report', 'summary']])('%s --help describes it', async (...args) => {
    const result = await runCli([...args, '--help'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: siren ${args.join(' ')}`);
    if (args.length > 1) expect(result.stdout).toContain('--csv');
  });

  it('says when the read models lag behind the event store', async () => {
    const store = await openPgliteEventStore(dir);
    const { position } = await append(store, 'call-late', 'CallRequested', { callId: 'late', campaignId: 'late', agentId: 'ag-1', phone: '+15550000042', attempt: 1, at: '2026-11-20T11:00:00Z' });
    await store.close();
    const result = await runCli(['report', 'summary', '--csv'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`read models at position ${head} of ${position} (behind the event store; \`siren start\` catches them up)\n`);
    const late = await runCli(['report', 'campaign', 'late'], env);
    expect(late.code).toBe(1);
    expect(late.stderr).toBe(`siren: unknown campaign: late (the read models are at position ${head} of ${position}: it may not be projected yet)\n`);
  });
});

describe('siren report before any read model was built', () => {
  it('says so in one line, suggests how to build them and leaves no files behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siren-report-empty-'));
    try {
      const result = await runCli(['report', 'summary'], { SIREN_DATA_DIR: dir });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `siren: the read models have not been built yet (nothing at ${join(dir, 'read-models')}): run \`siren start\` (it keeps them up to date) or \`siren projections rebuild all\` first\n`,
      );
      expect(existsSync(join(dir, 'read-models'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The PostgreSQL case needs a server; CI sets DATABASE_URL (see .ci/run).
const serverUrl = process.env.DATABASE_URL;
if (serverUrl) describe('siren report on PostgreSQL (DATABASE_URL)', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase(serverUrl!, 'siren_report')));
  afterAll(() => db?.drop());

  it('says the read models were never built, then reports once they are', async () => {
    const before = await runCli(['report', 'campaign', REP], { DATABASE_URL: db.url });
    expect(before.code).toBe(1);
    expect(before.stderr).toMatch(/^siren: the read models have not been built yet \(no siren_rm\.projection_checkpoints\): .*siren projections rebuild all/);

    const head = await seedAndProject(await openPostgresEventStore(db.url), await openPostgresReadModelDatabase(db.url));
    const result = await runCli(['report', 'summary', '--by', 'agent', '--csv'], { DATABASE_URL: db.url });
    expect(result.stderr).toBe(`read models at position ${head} of ${head} (up to date)\n`);
    expect(result.code).toBe(0);
    const records: Record<string, string>[] = parse(result.stdout, { columns: true });
    expect(records.map((r) => ({ key: r.agent_id, ...csvFigures(r) }))).toEqual(byKey((c) => c.agent));
  });
});
