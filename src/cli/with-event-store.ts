import { loadConfig, SirenConfig } from '../config';
import { EventStore } from '../eventstore/event-store.port';
import { openEventStore } from '../eventstore/open-event-store';

/** Opens the configured event store for one CLI command and always closes it afterwards. */
export async function withEventStore<T>(work: (store: EventStore, config: SirenConfig) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const store = await openEventStore(config.eventStore);
  try {
    return await work(store, config);
  } finally {
    await store.close();
  }
}
