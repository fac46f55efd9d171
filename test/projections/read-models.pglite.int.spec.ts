import { loadPglite, openPgliteEventStore } from '../../src/eventstore/postgres';
import { openPgliteReadModelDatabase } from '../../src/projections';
import { readModelContract } from './read-model.contract';

/** Read models in their own in-process PGlite, events in another; both start from an initdb dump. */
let template: Blob | File | undefined;
beforeAll(async () => {
  const db = await loadPglite().PGlite.create();
  template = await db.dumpDataDir('none');
  await db.close();
});

readModelContract('pglite', async () => {
  const store = await openPgliteEventStore(undefined, { loadDataDir: template, idlePollMs: 100 });
  const db = await openPgliteReadModelDatabase(undefined, { loadDataDir: template });
  return {
    store,
    db,
    close: async () => {
      await store.close();
      await db.close();
    },
  };
});
