/**
 * A domain event as a decider produces it and `evolve` consumes it: a fixed type string, the
 * version of its data shape, and the data. Envelope concerns (ids, revisions, metadata) belong to
 * the event store's RecordedEvent, not here.
 */
export interface DomainEvent<
  Type extends string = string,
  Data = unknown,
  Version extends number = number,
> {
  readonly type: Type;
  readonly schemaVersion: Version;
  readonly data: Data;
}
