import { agentStreamId } from '../../agents/agent.events';
import { callStreamId } from '../../calls/call.events';
import { campaignStreamId } from '../../campaigns/campaign.events';
import type { EventStore, RecordedEvent } from '../../eventstore/event-store.port';
import { DomainError } from '../../shared/domain-error';
import { dialerStreamId } from '../../telephony/saga/dialer.events';
import { describeEvent } from './describe-event';
import type { History, HistoryEntry, HistorySubject } from './history.types';

export interface HistoryOptions {
  /** Agents and campaigns: also every call attempt made for them (found through the global log). */
  withCalls?: boolean;
  /** Events per read of the global log while looking for calls. */
  pageSize?: number;
}

export type AggregateKind = 'call' | 'agent' | 'campaign';

/** A stream read whole: an aggregate (folded by its decider for `--as-of`) or the dialer's log. */
export interface SourceStream {
  streamId: string;
  kind: AggregateKind | 'dialer';
  events: RecordedEvent[];
}

/** Everything a subject's history is made of, read from the event store (never from read models). */
export interface HistorySources {
  subject: HistorySubject;
  streams: SourceStream[];
  /** Single events picked out of streams shared with other subjects (a number's DNC skips). */
  loose: RecordedEvent[];
}

const DEFAULT_PAGE_SIZE = 1000;
const PARALLEL_READS = 8;

/** Reads the streams behind a subject. An unknown call, agent or campaign is an error; a number nobody called is not. */
export async function readHistorySources(
  store: EventStore,
  subject: HistorySubject,
  options: HistoryOptions = {},
): Promise<HistorySources> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  switch (subject.kind) {
    case 'call': {
      const call = await readRequired(store, 'call', subject.id, callStreamId(subject.id));
      return { subject, streams: [call], loose: [] };
    }
    case 'agent': {
      const agent = await readRequired(store, 'agent', subject.id, agentStreamId(subject.id));
      const calls = options.withCalls ? await callsWhere(store, pageSize, (data) => data.agentId === subject.id) : [];
      return { subject, streams: [agent, ...calls], loose: [] };
    }
    case 'campaign': {
      const campaign = await readRequired(store, 'campaign', subject.id, campaignStreamId(subject.id));
      const dialer = await readStream(store, 'dialer', dialerStreamId(subject.id));
      const calls = options.withCalls ? await callsWhere(store, pageSize, (data) => data.campaignId === subject.id) : [];
      return { subject, streams: [campaign, ...(dialer.events.length > 0 ? [dialer] : []), ...calls], loose: [] };
    }
    case 'number': {
      const matches = (event: RecordedEvent) => dataOf(event).phone === subject.phone;
      const found = await scanAll(store, ['CallRequested', 'ContactSkipped'], pageSize, matches);
      const callStreams = found.filter((event) => event.type === 'CallRequested').map((event) => event.streamId);
      const calls = await readCallStreams(store, unique(callStreams));
      return { subject, streams: calls, loose: found.filter((event) => event.type === 'ContactSkipped') };
    }
  }
}

/** The subject's timeline: every event of its streams, in global (commit) order. */
export async function readHistory(store: EventStore, subject: HistorySubject, options: HistoryOptions = {}): Promise<History> {
  return historyFrom(await readHistorySources(store, subject, options));
}

export function historyFrom(sources: HistorySources): History {
  const events = [...sources.streams.flatMap((stream) => stream.events), ...sources.loose];
  events.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  return {
    subject: sources.subject,
    streams: unique(events.map((event) => event.streamId)),
    entries: events.map(toEntry),
  };
}

/** When an event happened: the store's `occurredAt`, else the domain's own `at`. */
export function occurredAt(event: RecordedEvent): string {
  const at = event.metadata?.occurredAt ?? dataOf(event).at;
  return typeof at === 'string' ? at : '';
}

function toEntry(event: RecordedEvent): HistoryEntry {
  return {
    at: occurredAt(event),
    streamId: event.streamId,
    revision: event.revision,
    position: event.position.toString(),
    eventId: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    actor: typeof event.metadata?.actor === 'string' ? event.metadata.actor : null,
    details: describeEvent(event.type, event.data),
    data: event.data,
  };
}

async function readStream(store: EventStore, kind: SourceStream['kind'], streamId: string): Promise<SourceStream> {
  return { streamId, kind, events: await store.readStream(streamId) };
}

async function readRequired(store: EventStore, kind: AggregateKind, id: string, streamId: string): Promise<SourceStream> {
  const stream = await readStream(store, kind, streamId);
  if (stream.events.length === 0) {
    throw new DomainError('HISTORY_NOT_FOUND', `no ${kind} "${id}" in the event store (stream ${streamId} has no events)`, {
      kind,
      id,
      streamId,
    });
  }
  return stream;
}

/** Call streams whose CallRequested matches, found through the global log so every adapter can answer. */
async function callsWhere(store: EventStore, pageSize: number, match: (data: Record<string, unknown>) => boolean): Promise<SourceStream[]> {
  const requested = await scanAll(store, ['CallRequested'], pageSize, (event) => match(dataOf(event)));
  return readCallStreams(store, unique(requested.map((event) => event.streamId)));
}

/** A campaign can have thousands of calls: read a few streams at a time, not all at once. */
async function readCallStreams(store: EventStore, streamIds: string[]): Promise<SourceStream[]> {
  const streams: SourceStream[] = [];
  for (let start = 0; start < streamIds.length; start += PARALLEL_READS) {
    const batch = streamIds.slice(start, start + PARALLEL_READS);
    streams.push(...(await Promise.all(batch.map((streamId) => readStream(store, 'call', streamId)))));
  }
  return streams;
}

/** Reads the global log filtered by type, page by page, keeping the events that match. */
async function scanAll(
  store: EventStore,
  eventTypes: string[],
  pageSize: number,
  keep: (event: RecordedEvent) => boolean,
): Promise<RecordedEvent[]> {
  const kept: RecordedEvent[] = [];
  let after: bigint | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize, filter: { eventTypes } });
    // A short page is not proof of the end on a gap-safe store; only an empty one is.
    if (page.length === 0) return kept;
    for (const event of page) if (keep(event)) kept.push(event);
    after = page[page.length - 1].position;
  }
}

function dataOf(event: RecordedEvent): Record<string, unknown> {
  return event.data !== null && typeof event.data === 'object' ? (event.data as Record<string, unknown>) : {};
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
