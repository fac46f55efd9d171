import { EventStoreConfig } from '../config/event-store.config';
import { ConfigError, redactUrl } from '../config/config-error';
import { EventStore } from './event-store.port';
import { openPgliteEventStore, openPostgresEventStore } from './postgres';

/**
 * Picks the adapter from configuration: EventStoreDB, else a PostgreSQL server, else embedded
 * PGlite. A store that cannot be reached fails start-up with one line naming the variable.
 */
export async function openEventStore(config: EventStoreConfig): Promise<EventStore> {
  switch (config.adapter) {
    case 'eventstoredb':
      // Loaded only here: its gRPC client costs every PostgreSQL or PGlite process ~10 MB otherwise.
      return connectOrExplain('EVENTSTORE_URL', config.EVENTSTORE_URL!, async (url) => (await import('./eventstoredb')).openEventStoreDbStore(url));
    case 'postgres':
      return connectOrExplain('DATABASE_URL', config.DATABASE_URL!, openPostgresEventStore);
    case 'pglite':
      return connectOrExplain('SIREN_DATA_DIR', config.SIREN_DATA_DIR, openPgliteEventStore);
  }
}

async function connectOrExplain(
  variable: string,
  value: string,
  open: (value: string) => Promise<EventStore>,
): Promise<EventStore> {
  try {
    return await open(value);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const reason = (error instanceof Error ? error.message.split('\n')[0] : String(error)) || 'unknown error';
    // The adapters already say where and why ("cannot open the postgres event store at …").
    throw new ConfigError(variable, reason.startsWith('cannot open') ? reason : `cannot open the event store at ${redactUrl(value)}: ${reason}`);
  }
}
