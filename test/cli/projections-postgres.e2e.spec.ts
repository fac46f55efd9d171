import { openPostgresEventStore } from '../../src/eventstore/postgres';
import { append, appendScenario } from '../projections/scenario';
import { createTestDatabase, TestDatabase } from '../support/postgres-test-db';
import { runCli } from '../support/run-cli';
import { SirenProcess } from '../support/siren-process';

const DATABASE_URL = process.env.DATABASE_URL;

/**
 * On PostgreSQL the read models can be rebuilt from another process while `siren start` runs:
 * its runners find their checkpoints moved by the swaps and go on from there, with no failure.
 */
(DATABASE_URL ? describe : describe.skip)('siren projections rebuild beside a running siren start (PostgreSQL)', () => {
  let database: TestDatabase;
  let siren: SirenProcess | undefined;
  beforeEach(async () => {
    database = await createTestDatabase(DATABASE_URL!, 'siren_projections_cli');
  });
  afterEach(async () => {
    siren?.kill('SIGKILL');
    await siren?.exited;
    await database.drop();
  });

  it('rebuild all completes while start keeps projecting; status then shows every read model up to date', async () => {
    const env = { DATABASE_URL: database.url };
    const store = await openPostgresEventStore(database.url);
    try {
      await appendScenario(store);
      siren = new SirenProcess(['start'], { ...env, LOG_LEVEL: 'info' });
      await siren.waitForLog('read models caught up with the log', 60_000);

      const rebuilt = await runCli(['projections', 'rebuild', 'all'], env);
      expect(rebuilt).toMatchObject({ code: 0, stderr: '' });
      expect(rebuilt.stdout.trim().split('\n')).toHaveLength(7);

      // Appended after the swaps: only the runners inside `siren start` can project these.
      const more = await append(store, 'call-after', 'CallRequested', {
        callId: 'after', agentId: 'a', phone: '+1555', attempt: 1, trackingId: 'after', kind: 'autodial', at: '2026-11-20T12:00:00Z',
      });
      let statuses: Array<Record<string, unknown>> = [];
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const result = await runCli(['projections', 'status', '--json'], env);
        expect(result.code).toBe(0);
        statuses = JSON.parse(result.stdout);
        if (statuses.every((s) => s.state === 'up-to-date' && (s.checkpoint as number) >= Number(more.position))) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(statuses.map((s) => [s.name, s.state, s.error])).toEqual(
        ['calls', 'call_dtmf', 'campaigns', 'agents', 'autodial_responses', 'campaign_stats_hourly', 'reports'].map((n) => [n, 'up-to-date', null]),
      );
      expect(siren.lines.filter((l) => /projection/.test(String(l.msg)) && (l.level ?? 0) >= 50)).toEqual([]);

      siren.kill('SIGTERM');
      expect(await siren.exited).toMatchObject({ code: 0 });
      siren = undefined;
    } finally {
      await store.close();
    }
  }, 240_000);
});
