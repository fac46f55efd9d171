export {
  EventStoreDbStore,
  openEventStoreDbStore,
  createEsdbClient,
  type EsdbClientLike,
  type EventStoreDbStoreOptions,
} from './eventstoredb-event-store';
