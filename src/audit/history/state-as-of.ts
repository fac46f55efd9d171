import { agentDecider } from '../../agents/agent.decider';
import { callDecider } from '../../calls/call.decider';
import { campaignDecider } from '../../campaigns/campaign.decider';
import type { EventStore, RecordedEvent } from '../../eventstore/event-store.port';
import { foldStream } from '../../shared/handle-command';
import type { AggregateStateAsOf, HistorySubject, StateAsOf } from './history.types';
import { occurredAt, readHistorySources, type AggregateKind, type HistoryOptions, type SourceStream } from './read-history';

/** Each aggregate is folded by its own decider — the same evolve and upcasters the commands use. */
const FOLD: Readonly<Record<AggregateKind, (events: readonly RecordedEvent[]) => unknown>> = {
  call: (events) => foldStream(callDecider, events),
  agent: (events) => foldStream(agentDecider, events),
  campaign: (events) => foldStream(campaignDecider, events),
};

/**
 * The state of the subject's aggregates at an instant: each stream folded over the events that had
 * happened by then. The fold takes the stream's prefix up to the first later event, never a
 * filtered subset, so the state is one the aggregate really passed through. The subject's own
 * aggregate is always reported (in its initial state if it did not exist yet); calls found for
 * it only if they had begun by then.
 */
export async function readStateAsOf(
  store: EventStore,
  subject: HistorySubject,
  asOf: Date,
  options: HistoryOptions = {},
): Promise<StateAsOf> {
  const sources = await readHistorySources(store, subject, options);
  const aggregates = sources.streams
    .filter((stream): stream is SourceStream & { kind: AggregateKind } => stream.kind !== 'dialer')
    .map((stream) => aggregateAsOf(stream, asOf))
    .filter((aggregate, index) => (index === 0 && subject.kind !== 'number') || aggregate.eventsApplied > 0);
  return { subject, asOf: asOf.toISOString(), aggregates };
}

export function aggregateAsOf(stream: SourceStream & { kind: AggregateKind }, asOf: Date): AggregateStateAsOf {
  const limit = asOf.getTime();
  const firstLater = stream.events.findIndex((event) => !(Date.parse(occurredAt(event)) <= limit));
  const applied = firstLater === -1 ? stream.events : stream.events.slice(0, firstLater);
  const last = applied[applied.length - 1];
  return {
    streamId: stream.streamId,
    kind: stream.kind,
    eventsApplied: applied.length,
    eventsTotal: stream.events.length,
    lastApplied: last ? { revision: last.revision, type: last.type, at: occurredAt(last) } : null,
    state: plain(FOLD[stream.kind](applied)),
  };
}

/** States hold Sets (a campaign's imported chunks); JSON and CSV want arrays. */
function plain(value: unknown): unknown {
  if (value instanceof Set) return [...value].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(plain);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
  }
  return value;
}
