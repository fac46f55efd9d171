import type { DomainEvent } from './domain-event';
import type { Upcast } from './upcasters';

/**
 * Everything `handleCommand` needs to run one aggregate's commands (Emmett's decider shape).
 * `decide` and `evolve` are pure: no I/O, no clock (time arrives as `now`), no randomness.
 */
export interface Decider<Command, State, Event extends DomainEvent> {
  /** The stream a command addresses, e.g. `campaign-<id>`. */
  streamId(command: Command): string;
  initialState(): State;
  evolve(state: State, event: Event): State;
  /** The events the command causes, [] when it is already satisfied; throws DomainError to refuse. */
  decide(command: Command, state: State, now: Date): Event[];
  /** Lifts stored events written in older shapes to the shape `evolve` expects. */
  upcast?: Upcast;
}
