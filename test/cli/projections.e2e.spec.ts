import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPgliteEventStore } from '../../src/eventstore/postgres';
import { appendScenario } from '../projections/scenario';
import { runCli } from '../support/run-cli';
import { SirenProcess } from '../support/siren-process';

const NAMES = ['calls', 'call_dtmf', 'campaigns', 'agents', 'autodial_responses', 'campaign_stats_hourly', 'reports'];

/**
 * `siren projections` on the embedded defaults (a temp SIREN_DATA_DIR): `start` builds the read
 * models, `status` reports them from another process, `rebuild all` builds them again and swaps.
 */
describe('siren projections', () => {
  let dataDir: string;
  let siren: SirenProcess | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'siren-projections-'));
  });
  afterEach(async () => {
    siren?.kill('SIGKILL');
    await siren?.exited;
    siren = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const status = async () => {
    const result = await runCli(['projections', 'status', '--json'], { SIREN_DATA_DIR: dataDir });
    expect(result).toMatchObject({ code: 0 });
    return JSON.parse(result.stdout) as Array<Record<string, unknown>>;
  };

  it('has --help for projections, status and rebuild', async () => {
    for (const args of [['projections'], ['projections', 'status'], ['projections', 'rebuild']]) {
      const result = await runCli([...args, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: siren ${args.join(' ')}`);
    }
    expect((await runCli(['projections', 'rebuild', '--help'])).stdout).toContain('campaign_stats_hourly');
  });

  it('refuses an unknown read model in one line listing the valid names, exit 1', async () => {
    const result = await runCli(['projections', 'rebuild', 'nope'], { SIREN_DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([`siren: no read model named "nope"; choose one of ${NAMES.join(', ')} or all`]);
  });

  it('start builds the read models; status reports them; rebuild all builds them again and swaps them in', async () => {
    const store = await openPgliteEventStore(dataDir);
    const head = Number((await appendScenario(store)).position);
    await store.close();

    expect(await status()).toEqual(NAMES.map((name) => expect.objectContaining({ name, version: 1, checkpoint: null, head, lag: null, state: 'not-built' })));

    siren = new SirenProcess(['start'], { SIREN_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    await siren.waitForLog('read models caught up with the log', 60_000);
    siren.kill('SIGTERM');
    expect(await siren.exited).toMatchObject({ code: 0 });
    siren = undefined;

    const built = await status();
    expect(built).toEqual(NAMES.map((name) => expect.objectContaining({ name, version: 1, state: 'up-to-date', lag: 0, error: null })));
    const position = built[0].checkpoint as number;
    expect(position).toBeGreaterThanOrEqual(head); // `start` may have appended (the dialer) before stopping

    const rebuilt = await runCli(['projections', 'rebuild', 'all'], { SIREN_DATA_DIR: dataDir });
    expect(rebuilt).toMatchObject({ code: 0, stderr: '' });
    expect(rebuilt.stdout.trim().split('\n')).toEqual(
      NAMES.map((name) => expect.stringMatching(new RegExp(`^rebuilt ${name} v1: \\d+ events in [\\d.]+ s \\(\\d+ events/s\\), swapped in at position ${position}$`))),
    );
    expect(await status()).toEqual(NAMES.map((name) => expect.objectContaining({ name, checkpoint: position, lag: 0, state: 'up-to-date' })));

    const json = await runCli(['projections', 'rebuild', 'calls', '--json'], { SIREN_DATA_DIR: dataDir });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ projection: 'calls', version: 1, position, events: expect.any(Number) })]);
  }, 300_000); // half a dozen processes, each opening embedded PostgreSQL
});
