import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { openPgliteEventStore } from '../../src/eventstore/postgres';
import { NUMBER_TIMELINE, PHONE, seedHistory, T } from '../audit/history-scenario';
import { runCli } from '../support/run-cli';

// Every run spawns the CLI, which opens PGlite (seconds each on a busy two-core machine).
jest.setTimeout(120_000);

/** `siren history` on an embedded store seeded through the real command pipeline (test/audit/history-scenario.ts). */
describe('siren history on PGlite', () => {
  let dataDir: string;
  const history = (...args: string[]) => runCli(['history', ...args], { SIREN_DATA_DIR: dataDir });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'siren-history-cli-'));
    const store = await openPgliteEventStore(dataDir);
    await seedHistory(store);
    await store.close();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints a call as a timeline: time, stream, revision, event, actor, details', async () => {
    const result = await history('call', 'spring-1');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'history of call spring-1: 4 event(s) in 1 stream(s)',
      'TIME                      STREAM         REV  EVENT               ACTOR        DETAILS',
      `${T.requested}  call-spring-1  0    CallRequested       system:saga  attempt 1 to ${PHONE}, autodial for agent ann, campaign spring, contact spring-c1, tracking SPR1.1, route main`,
      `${T.originated}  call-spring-1  1    CallOriginated      system:ami   channel PJSIP/trunk-main-0001, trunk trunk-main, uniqueid 1741000000.1`,
      `${T.hungUp}  call-spring-1  2    CallHungUp          system:ami   no-answer, cause 19 No answer, ring 40s, talk 0s, billable 0s`,
      '2025-03-03T09:00:41.000Z  call-spring-1  3    CallRetryScheduled  system:saga  attempt 2 not before 2025-03-03T09:30:40.000Z',
      '',
    ]);
  });

  it('--json gives the events with their data as stored', async () => {
    const result = await history('call', 'spring-1', '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.subject).toEqual({ kind: 'call', id: 'spring-1' });
    expect(json.streams).toEqual(['call-spring-1']);
    expect(json.entries.map((e: { type: string }) => e.type)).toEqual(['CallRequested', 'CallOriginated', 'CallHungUp', 'CallRetryScheduled']);
    expect(json.entries[0]).toMatchObject({ at: T.requested, actor: 'system:saga', revision: 0, data: { phone: PHONE, attempt: 1 } });
  });

  it('--csv gives one row per event under a header', async () => {
    const result = await history('number', PHONE, '--csv');
    expect(result.code).toBe(0);
    const rows: string[][] = parse(result.stdout);
    expect(rows[0]).toEqual(['time', 'stream', 'revision', 'position', 'event', 'schema_version', 'actor', 'details', 'event_id', 'data']);
    expect(rows.slice(1).map((row) => `${row[1]}:${row[4]}`)).toEqual(NUMBER_TIMELINE);
    expect(JSON.parse(rows[1][9])).toMatchObject({ phone: PHONE });
  });

  it('--as-of on a call that was ringing then and hung up later prints the ringing state', async () => {
    const ringing = await history('call', 'spring-1', '--as-of', T.ringing);
    expect(ringing.stderr).toBe('');
    expect(ringing.code).toBe(0);
    expect(ringing.stdout).toContain(`state of call spring-1 as of ${T.ringing}`);
    expect(ringing.stdout).toContain(`call-spring-1: 2 of 4 event(s) applied, last CallOriginated (revision 1) at ${T.originated}`);
    expect(ringing.stdout).toContain('  status: originated\n');
    expect(ringing.stdout).not.toContain('disposition');

    const later = JSON.parse((await history('call', 'spring-1', '--as-of', '2025-03-03T10:05:00+01:00', '--json')).stdout);
    expect(later.asOf).toBe(T.afterHangUp);
    expect(later.aggregates[0]).toMatchObject({ eventsApplied: 4, state: { status: 'hung-up', disposition: 'no-answer', endedAt: T.hungUp } });

    const csv: string[][] = parse((await history('call', 'spring-1', '--as-of', T.ringing, '--csv')).stdout);
    expect(csv[0]).toEqual(['as_of', 'stream', 'kind', 'events_applied', 'field', 'value']);
    expect(csv).toContainEqual([T.ringing, 'call-spring-1', 'call', '2', 'status', 'originated']);
  });

  it('finds a number written the way people write it, across campaigns', async () => {
    const result = await history('number', '(415) 555-0123');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`history of number ${PHONE}: 11 event(s) in 4 stream(s)`);
    expect(result.stdout).toContain('dialer-summer');
    expect(result.stdout).toContain('call-manual-7');
  });

  it('prints a campaign on its own by default, and with --calls its attempts too', async () => {
    const own = await history('campaign', 'spring');
    expect(own.stdout).toContain('history of campaign spring: 3 event(s) in 1 stream(s)');
    const withCalls = await history('campaign', 'spring', '--calls');
    expect(withCalls.stdout).toContain('history of campaign spring: 14 event(s) in 4 stream(s)');
  });

  it('prints an agent', async () => {
    const result = await history('agent', 'ann');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/AgentStatusChanged +agent:ann +offline → available: \/online/);
  });

  it.each([
    [['call', 'nope'], 'siren: no call "nope" in the event store (stream call-nope has no events)\n'],
    [['campaign', 'nope'], 'siren: no campaign "nope" in the event store (stream campaign-nope has no events)\n'],
    [['call', 'spring-1', '--as-of', 'yesterday'], 'siren: --as-of must be an ISO-8601 time with a zone, e.g. 2025-03-01T09:30:00Z or 2025-03-01T10:30:00+01:00 (got "yesterday")\n'],
    [['number', 'call me'], 'siren: "call me" is not a phone number: Not a phone number\n'],
  ])('refuses %j with one line and exit code 1', async (args, message) => {
    const result = await history(...args);
    expect(result.stderr).toBe(message);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(1);
  });

  it('says so, and exits 0, for a number never dialed', async () => {
    const result = await history('number', '+442079460018');
    expect(result.stdout).toBe('no events for number +442079460018 in the event store (never dialed)\n');
    expect(result.code).toBe(0);
  });

  it('has --help for every subcommand', async () => {
    for (const sub of ['call', 'number', 'agent', 'campaign']) {
      const help = await runCli(['history', sub, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: siren history ${sub}`);
      expect(help.stdout).toContain('--as-of <time>');
    }
    const top = await runCli(['history', '--help']);
    expect(top.stdout).toContain('never the read models');
  });
});
