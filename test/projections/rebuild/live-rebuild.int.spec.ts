import type { EventStore, RecordedEvent } from '../../../src/eventstore/event-store.port';
import { allProjections, Projection, ProjectionRunner, ReadModelDatabase } from '../../../src/projections';
import { ensureProjectionSchema, setCheckpoint } from '../../../src/projections/checkpoints';
import { readStoredStatus, rebuildProjection, rebuildProjections, RebuildProgress, shadowSchemaName } from '../../../src/projections/rebuild';
import { append, appendScenario } from '../scenario';
import { backends, checkpoints, liveModels, shadowSchemas } from './fixtures';

/** A small test-only read model in two versions: events per type (v1), per type and stream category (v2). */
function eventTypes(version: 1 | 2): Projection {
  const table = `event_types_v${version}`;
  const extraColumn = version === 2 ? 'category text NOT NULL,' : '';
  const key = version === 2 ? 'type, category' : 'type';
  return {
    name: 'event_types',
    version,
    tables: [table],
    schemaSql: `CREATE TABLE IF NOT EXISTS ${table} (type text NOT NULL, ${extraColumn} events bigint NOT NULL, last_position bigint NOT NULL, PRIMARY KEY (${key}));`,
    handle: (e: RecordedEvent) => {
      const values = version === 2 ? [e.type, e.streamId.split('-')[0], e.position.toString()] : [e.type, e.position.toString()];
      const cols = version === 2 ? 'type, category' : 'type';
      const placeholders = version === 2 ? '$1::text, $2::text' : '$1::text';
      const pos = version === 2 ? '$3::bigint' : '$2::bigint';
      return [{
        sql: `INSERT INTO ${table} AS t (${cols}, events, last_position) VALUES (${placeholders}, 1, ${pos})
              ON CONFLICT (${key}) DO UPDATE SET events = t.events + 1, last_position = excluded.last_position
              WHERE excluded.last_position > t.last_position`,
        params: values,
      }];
    },
  };
}

describe.each(backends().map((b) => [b.label, b] as const))('live rebuild on %s', (_label, backend) => {
  let store: EventStore;
  let db: ReadModelDatabase;
  let close: () => Promise<void>;
  let runner: ProjectionRunner | undefined;
  const projections = allProjections();

  beforeEach(async () => {
    ({ store, db, close } = await backend.open());
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await close();
  });

  const fromScratch = async (upTo: bigint, list: Projection[] = projections) => {
    const fresh = await backend.openReadModels();
    const r = new ProjectionRunner({ store, db: fresh.db, projections: list });
    try {
      await r.start();
      await r.waitFor(upTo, 30_000);
      await r.stop();
      return { models: await liveModels(fresh.db), checkpoints: await checkpoints(fresh.db) };
    } finally {
      await fresh.close();
    }
  };

  it('rebuilds every projection beside the live one while the runner keeps applying, then swaps it in', async () => {
    await appendScenario(store);
    const errors: string[] = [];
    runner = new ProjectionRunner({ store, db, projections, batchSize: 3, onFailure: (n, e) => errors.push(`${n}: ${e.message}`) });
    await runner.start();
    await runner.waitFor(await store.headPosition());

    const progress: RebuildProgress[] = [];
    for (const projection of projections) {
      // An event appended meanwhile: the live runner applies it, and so does the swap.
      await append(store, `call-R${projection.name}`, 'CallRequested', {
        callId: `R${projection.name}`, agentId: 'a', phone: '+1555', attempt: 1, trackingId: 'R', kind: 'autodial', at: '2026-11-20T10:00:00Z',
      });
      const result = await rebuildProjection({ store, db, projection, projections, batchSize: 4, onProgress: (p) => progress.push(p) });
      expect(result).toMatchObject({ projection: projection.name, version: projection.version });
    }
    const head = (await append(store, 'call-Z', 'CallRequested', { callId: 'Z', agentId: 'a', phone: '+1', attempt: 1, trackingId: 'Z', kind: 'autodial', at: '2026-11-20T11:00:00Z' })).position;
    await runner.waitFor(head);

    expect(errors).toEqual([]);
    expect((await runner.status()).map((s) => s.state)).toEqual(projections.map(() => 'running'));
    expect(await shadowSchemas(db)).toEqual([]);
    const scratch = await fromScratch(head);
    expect(await liveModels(db)).toEqual(scratch.models);
    expect(await checkpoints(db)).toEqual(scratch.checkpoints);
    // The report views (over campaign_stats_hourly_v1, dropped by its swap) were created again.
    expect(Object.keys(await liveModels(db))).toContain('report_campaigns_v1');

    const last = progress.filter((p) => p.projection === 'calls').at(-1)!;
    expect(last).toMatchObject({ phase: 'done' });
    expect(last.events).toBe(last.total);
    expect(progress.some((p) => p.phase === 'building' && p.events > 0 && p.eventsPerSecond > 0)).toBe(true);
  });

  it('drops the leftover shadow of a crashed rebuild and starts again from position 0', async () => {
    const last = await appendScenario(store);
    const [calls] = projections;
    const shadow = shadowSchemaName('calls');
    await ensureProjectionSchema(db, calls, shadow);
    await setCheckpoint(db, calls, last.position + 100n, shadow); // a position that is not even in the log
    await db.exec(`CREATE TABLE ${shadow}.junk (x int)`);
    expect(await shadowSchemas(db)).toEqual([shadow]);
    expect((await readStoredStatus(db, store, [calls]))[0]).toMatchObject({ state: 'rebuilding' });

    const result = await rebuildProjection({ store, db, projection: calls });
    expect(result.position).toBe(last.position);
    expect(await shadowSchemas(db)).toEqual([]);
    expect(await liveModels(db)).toEqual((await fromScratch(last.position, [calls])).models);
    expect((await readStoredStatus(db, store, [calls]))[0]).toMatchObject({ state: 'up-to-date', checkpoint: last.position, lag: 0n });
  });

  it('rebuilds several read models from one read of the log, plain-Statement projections among them, equal to a clean run', async () => {
    // On PGlite the copies share one transaction per page, with one read and one write statement
    // for all of them, unless one returns plain Statements (event_types): then one by one.
    const list = [...projections, eventTypes(1)];
    const last = await appendScenario(store);
    for (const batchSize of [3, 1000]) {
      const results = await rebuildProjections({ store, db, targets: list, batchSize });
      expect(results.map((r) => r.position)).toEqual(list.map(() => last.position));
      expect(await shadowSchemas(db)).toEqual([]);
      expect(await liveModels(db)).toEqual((await fromScratch(last.position, list)).models);
    }
    // Without the Statement projection, the shared statements build the same.
    const results = await rebuildProjections({ store, db, targets: projections, batchSize: 3 });
    expect(results.map((r) => r.position)).toEqual(projections.map(() => last.position));
    const { event_types_v1: _, ...models } = await liveModels(db);
    expect(models).toEqual((await fromScratch(last.position)).models);
  });

  it('a new version is rebuilt in the background at start while the old one keeps serving, then replaces it', async () => {
    await appendScenario(store);
    runner = new ProjectionRunner({ store, db, projections: [eventTypes(1)] });
    await runner.start();
    await runner.waitFor(await store.headPosition());
    await runner.stop();
    const v1 = await db.query('SELECT type, events FROM siren_rm.event_types_v1 ORDER BY type');
    expect(v1.length).toBeGreaterThan(0);
    expect((await readStoredStatus(db, store, [eventTypes(2)]))[0]).toMatchObject({ state: 'outdated', servingVersion: 1 });

    const progress: RebuildProgress[] = [];
    runner = new ProjectionRunner({ store, db, projections: [eventTypes(2)], onRebuildProgress: (p) => progress.push(p) });
    await runner.start(); // returns at once: the rebuild runs in the background
    const [starting] = await runner.status();
    expect(['rebuilding', 'running']).toContain(starting.state);
    const more = await append(store, 'campaign-late', 'CampaignPaused', { campaignId: 'late', at: '2026-11-20T12:00:00Z' });
    await runner.waitFor(more.position, 30_000);

    expect((await runner.status())[0]).toMatchObject({ state: 'running', version: 2, checkpoint: more.position });
    expect(progress.at(-1)).toMatchObject({ projection: 'event_types', phase: 'done' });
    expect(await checkpoints(db)).toEqual({ 'event_types@2': String(more.position) });
    const models = await liveModels(db);
    expect(Object.keys(models)).toEqual(['event_types_v2']); // v1's table went with the swap
    expect(models).toEqual((await fromScratch(more.position, [eventTypes(2)])).models);
  });
});
