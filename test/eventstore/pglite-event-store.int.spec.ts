import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPglite, openPgliteEventStore } from '../../src/eventstore/postgres';
import { findChainBreak } from '../../src/eventstore/hash-chain';
import { eventStoreContract } from './event-store.contract';

/**
 * PGlite: the contract on a fresh in-memory database per test. initdb takes ~3 s in WASM, so
 * each store starts from a dump of one freshly initialized instance (~1 s) instead.
 */
let template: Blob | File | undefined;
beforeAll(async () => {
  const db = await loadPglite().PGlite.create();
  template = await db.dumpDataDir('none');
  await db.close();
});

eventStoreContract('pglite', () => openPgliteEventStore(undefined, { loadDataDir: template }));

describe('pglite event store: persistence', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'siren-pglite-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps its events, positions and hash chain across close and reopen', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const first = await openPgliteEventStore(dataDir);
    await first.append('call-1', [{ type: 'A', data: { n: 1 } }, { type: 'B', data: { n: 2 } }], { expectedRevision: 'no_stream' });
    await first.append('agent-1', [{ type: 'C', data: { n: 3 } }], { expectedRevision: 'no_stream' });
    const before = await first.readAll();
    await first.close();

    const second = await openPgliteEventStore(dataDir);
    try {
      expect(await second.readAll()).toEqual(before);
      expect(await second.listStreams()).toEqual(['agent-1', 'call-1']);
      const next = await second.append('call-1', [{ type: 'D', data: {} }], { expectedRevision: 1 });
      expect(next.nextRevision).toBe(2);
      expect(next.position).toBeGreaterThan(before[2].position);
      expect(findChainBreak(await second.readStream('call-1'))).toBeNull();
    } finally {
      await second.close();
    }
  });
});
