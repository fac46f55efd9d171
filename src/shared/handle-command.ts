import {
  WrongExpectedRevisionError,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '../eventstore/event-store.port';
import type { CommandOutcome, SirenCommand } from './command';
import type { Decider } from './decider';
import { DomainError } from './domain-error';
import type { DomainEvent } from './domain-event';
import type { Clock } from './tokens';
import { noUpcast } from './upcasters';
import { validateCommand } from './validation';
import { withoutUndefined } from './without-undefined';

export interface HandleCommandOptions {
  /** Re-reads after a concurrency conflict before giving up. */
  maxRetries?: number;
}

const DEFAULT_MAX_RETRIES = 5;

/**
 * The one command pipeline: validate → load the stream → fold it with `evolve` → `decide` with the
 * clock's now → append expecting the revision we folded up to. A conflict means someone appended
 * in between, so we re-read and decide again against their events, a bounded number of times.
 */
export async function handleCommand<C extends SirenCommand, S, E extends DomainEvent>(
  store: EventStore,
  clock: Clock,
  decider: Decider<C, S, E>,
  command: C,
  options: HandleCommandOptions = {},
): Promise<CommandOutcome> {
  const valid = validateCommand(command);
  const streamId = decider.streamId(valid);
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;

  for (let attempt = 0; ; attempt++) {
    const recorded = await store.readStream(streamId);
    const state = foldStream(decider, recorded);
    const now = clock.now();
    const events = decider.decide(valid, state, now);
    const revision = recorded.length > 0 ? recorded[recorded.length - 1].revision : null;
    if (events.length === 0) return { streamId, revision, appended: 0 };

    try {
      const result = await store.append(streamId, events.map((event) => toNewEvent(event, valid, now)), {
        expectedRevision: revision ?? 'no_stream',
      });
      return { streamId, revision: result.nextRevision, appended: events.length };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (attempt >= maxRetries) {
        throw new DomainError('CONCURRENCY_CONFLICT', `${streamId} kept changing; gave up after ${attempt + 1} attempts`, {
          streamId,
          attempts: attempt + 1,
        });
      }
      // A short, growing pause lets the competing writer finish instead of colliding again.
      await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** attempt, 50)));
    }
  }
}

/** Upcasts and folds recorded events into state; also what audit "state at time T" replays use. */
export function foldStream<S, E extends DomainEvent>(
  decider: Pick<Decider<never, S, E>, 'initialState' | 'evolve' | 'upcast'>,
  recorded: readonly RecordedEvent[],
): S {
  const upcast = decider.upcast ?? noUpcast;
  return recorded.reduce((state, event) => {
    const latest = upcast(event.type, event.schemaVersion, event.data);
    return decider.evolve(state, { type: event.type, ...latest } as E);
  }, decider.initialState());
}

function toNewEvent(event: DomainEvent, command: SirenCommand, now: Date): NewEvent {
  return {
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: {
      ...withoutUndefined({
        correlationId: command.meta?.correlationId,
        causationId: command.meta?.causationId,
        actor: command.meta?.actor,
      }),
      occurredAt: now.toISOString(),
    },
  };
}
