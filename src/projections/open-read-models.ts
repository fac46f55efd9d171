import { join } from 'node:path';
import type { EventStoreConfig } from '../config/event-store.config';
import { ConfigError, redactUrl } from '../config/config-error';
import { openPgliteReadModelDatabase, openPostgresReadModelDatabase, ReadModelDatabase } from './read-model-database';

/** Where the embedded read models live: beside the embedded event store, in their own PGlite. */
export const pgliteReadModelDir = (config: Pick<EventStoreConfig, 'SIREN_DATA_DIR'>): string =>
  join(config.SIREN_DATA_DIR, 'read-models');

/**
 * The read-model database for this configuration. With DATABASE_URL the read models share the
 * PostgreSQL database (schema siren_rm), whichever store holds the events; otherwise they live in
 * an in-process PGlite under SIREN_DATA_DIR/read-models. Each PGlite directory can be open in one
 * process only, so on the embedded defaults `siren start` and the read-model commands
 * (projections, report) take turns.
 */
export async function openReadModels(
  config: EventStoreConfig,
  options: { onBackgroundError?: (err: Error) => void; poolSize?: number } = {},
): Promise<ReadModelDatabase> {
  if (config.DATABASE_URL) {
    try {
      return await openPostgresReadModelDatabase(config.DATABASE_URL, options);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigError('DATABASE_URL', `${reason} (${redactUrl(config.DATABASE_URL)})`);
    }
  }
  const dir = pgliteReadModelDir(config);
  try {
    return await openPgliteReadModelDatabase(dir);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError('SIREN_DATA_DIR', `cannot open the read models at ${dir}: ${reason}`);
  }
}
