export { openPostgresEventStore } from './postgres-event-store';
export type { PostgresEventStoreOptions } from './postgres-event-store';
export { openPgliteEventStore } from './pglite-event-store';
export type { PgliteEventStoreOptions } from './pglite-event-store';
export type { SqlEventStoreOptions } from './sql-event-store';
export { loadPglite } from './pglite-module';
