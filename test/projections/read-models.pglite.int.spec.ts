import { openPgliteFixture } from './read-model-fixtures';
import { readModelContract } from './read-model.contract';

/** Read models in their own in-process PGlite, events in another; both start from an initdb dump. */
readModelContract('pglite', () => openPgliteFixture());
