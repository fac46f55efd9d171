import pino from 'pino';
import type { Contact } from '../../../src/campaigns/campaign.events';
import { loadConfig } from '../../../src/config';
import { allProjections, ProjectionRunner, ReadModelQueryable } from '../../../src/projections';
import { listRelations } from '../../../src/projections/checkpoints';
import { rebuildProjections } from '../../../src/projections/rebuild';
import { runSimulatedCampaign, type SimulatedCampaignResult } from '../../../src/telephony/dialer';
import { backends, checkpoints, liveModels, shadowSchemas } from './fixtures';

const NUMBERS = 300;
const contacts: Contact[] = Array.from({ length: NUMBERS }, (_, i) => ({
  contactId: `contact-${i + 1}`,
  phone: `+1202555${String(2000 + i).padStart(4, '0')}`,
}));

/**
 * Acceptance of the live rebuild (M12): while a campaign dials the PBX simulator and the live
 * runner projects what it appends, `rebuild all` builds every read model again and swaps it in.
 * A reader queries every read-model table and view throughout: no query may fail, and no count
 * may go down (a half-built model would have fewer rows than the live one it replaced). Once the
 * campaign is over, each read model equals a from-scratch build in a fresh database.
 */
describe.each(backends().map((b) => [b.label, b] as const))('projections rebuild all while a campaign dials (%s)', (_label, backend) => {
  it('completes; readers never fail nor see a half-built model; the result equals a from-scratch build', async () => {
    const { store, db, close } = await backend.open();
    const projections = allProjections();
    const failures: string[] = [];
    const runner = new ProjectionRunner({ store, db, projections, onFailure: (n, e) => failures.push(`${n}: ${e.message}`) });
    let reader: Reader | undefined;
    let campaign: Promise<SimulatedCampaignResult> | undefined;
    try {
      await runner.start();
      // timeScale: slow enough that a first round of `rebuild all` (every copy built, then all
      // swapped) ends while the campaign still dials, on PGlite too, where both share one thread.
      campaign = runSimulatedCampaign({
        eventStore: store, config: loadConfig({}), logger: pino({ level: 'silent' }), contacts, seed: 11, timeScale: 250,
        outcomes: 'last-digit', campaignId: 'campaign-rebuild', clockStart: new Date('2024-03-04T10:00:00.000Z'), maxConcurrentCalls: 50,
        timeoutMs: 300_000,
      });
      let over = false;
      void campaign.then(() => (over = true), () => (over = true));
      await waitForHead(store, 300n, () => over);
      reader = startReader(db, (await listRelations(db, 'siren_rm')).filter((r) => r !== 'projection_checkpoints'));

      // `rebuild all`, again and again until the campaign is over: every round but perhaps the
      // last swaps on a log the campaign is still appending to.
      const swappedAt: bigint[] = [];
      do {
        const round = await rebuildProjections({ store, db, targets: projections, projections, batchSize: 500 });
        swappedAt.push(...round.map((r) => r.position));
      } while (!over);

      const result = await campaign;
      expect(result.summary.contacts).toBe(NUMBERS);
      const head = await store.headPosition();
      expect(swappedAt[0]).toBeLessThan(head); // the first round swapped mid-campaign
      await runner.waitFor(head, 120_000);
      await reader.stop();

      expect(failures).toEqual([]);
      expect(reader.errors).toEqual([]);
      expect(reader.wentDown).toEqual([]);
      expect(reader.queries).toBeGreaterThan(reader.relations.length);
      expect((await runner.status()).map((s) => s.state)).toEqual(projections.map(() => 'running'));
      expect(await shadowSchemas(db)).toEqual([]);

      const fresh = await backend.openReadModels();
      try {
        const scratch = new ProjectionRunner({ store, db: fresh.db, projections });
        await scratch.start();
        await scratch.waitFor(head, 120_000);
        await scratch.stop();
        const live = await liveModels(db);
        expect(Object.keys(live).sort()).toEqual(reader.relations.slice().sort());
        expect(live).toEqual(await liveModels(fresh.db));
        expect(await checkpoints(db)).toEqual(await checkpoints(fresh.db));
      } finally {
        await fresh.close();
      }
    } finally {
      await campaign?.catch(() => undefined);
      await reader?.stop();
      await runner.stop();
      await close();
    }
  }, 600_000);
});

interface Reader {
  relations: string[];
  queries: number;
  errors: string[];
  wentDown: string[];
  stop(): Promise<void>;
}

/** Counts the rows of every relation, round and round, until stopped. */
function startReader(db: ReadModelQueryable, relations: string[]): Reader {
  const reader: Reader = { relations, queries: 0, errors: [], wentDown: [], stop: async () => undefined };
  const highest = new Map<string, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const relation of relations) {
        try {
          const [{ n }] = await db.query<{ n: unknown }>(`SELECT count(*) AS n FROM siren_rm.${relation}`);
          reader.queries += 1;
          const count = Number(n);
          if (count < (highest.get(relation) ?? 0)) reader.wentDown.push(`${relation}: ${highest.get(relation)} -> ${count}`);
          highest.set(relation, Math.max(count, highest.get(relation) ?? 0));
        } catch (err) {
          reader.errors.push(`${relation}: ${(err as Error).message}`);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  })();
  reader.stop = async () => {
    running = false;
    await loop;
  };
  return reader;
}

/** Resolves once the log reaches `position`; rejects if the campaign ends (or fails) first. */
async function waitForHead(store: { headPosition(): Promise<bigint> }, position: bigint, over: () => boolean): Promise<void> {
  while ((await store.headPosition()) < position) {
    if (over()) throw new Error(`the campaign ended before the log reached ${position}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
