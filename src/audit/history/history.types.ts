/** What an auditor asks about: one aggregate, or every attempt at one phone number. */
export type HistorySubject =
  | { kind: 'call'; id: string }
  | { kind: 'agent'; id: string }
  | { kind: 'campaign'; id: string }
  | { kind: 'number'; phone: string };

/** One line of a timeline: a recorded event as the event store holds it, plus a readable summary. */
export interface HistoryEntry {
  /** When the fact happened (the event's `occurredAt`, ISO-8601). */
  at: string;
  streamId: string;
  revision: number;
  /** Global position, as a decimal string (JSON has no bigint). */
  position: string;
  eventId: string;
  type: string;
  schemaVersion: number;
  /** Who caused it (`agent:<id>`, `system:saga`, …), when the writer said. */
  actor: string | null;
  /** One-line summary of the data; phone numbers in full (these are the auditor's records). */
  details: string;
  /** The event's data exactly as stored. */
  data: unknown;
}

export interface History {
  subject: HistorySubject;
  /** Every stream the timeline was read from, in the order first seen. */
  streams: string[];
  /** In global order (the order the store committed them). */
  entries: HistoryEntry[];
}

/** One aggregate folded with its own decider up to an instant. */
export interface AggregateStateAsOf {
  streamId: string;
  kind: 'call' | 'agent' | 'campaign';
  /** Events of the stream folded (those that happened at or before `asOf`). */
  eventsApplied: number;
  /** Events in the stream today. */
  eventsTotal: number;
  lastApplied: { revision: number; type: string; at: string } | null;
  state: unknown;
}

export interface StateAsOf {
  subject: HistorySubject;
  asOf: string;
  aggregates: AggregateStateAsOf[];
}
