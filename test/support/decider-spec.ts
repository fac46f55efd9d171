import type { Decider } from '../../src/shared/decider';
import { DomainError } from '../../src/shared/domain-error';
import type { DomainEvent } from '../../src/shared/domain-event';

type PureDecider<C, S, E extends DomainEvent> = Pick<Decider<C, S, E>, 'decide' | 'evolve' | 'initialState'>;

/**
 * Given events / when command / then events (or a refusal), as in Emmett's DeciderSpecification:
 *
 *   spec.given([created]).when(new StartCampaign({...})).then([started]);
 *   spec.given([]).when(command).thenThrows('CAMPAIGN_NOT_FOUND');
 */
export function deciderSpec<C, S, E extends DomainEvent>(decider: PureDecider<C, S, E>, now: Date) {
  return {
    given(events: readonly E[]) {
      return {
        when(command: C, at: Date = now) {
          const run = (): E[] => decider.decide(command, events.reduce(decider.evolve, decider.initialState()), at);
          return {
            then(expected: readonly E[]): void {
              expect(run()).toEqual(expected);
            },
            thenNothing(): void {
              expect(run()).toEqual([]);
            },
            thenThrows(code: string, details?: Record<string, unknown>): DomainError {
              let error: unknown;
              try {
                run();
              } catch (caught) {
                error = caught;
              }
              expect(error).toBeInstanceOf(DomainError);
              const domainError = error as DomainError;
              expect(domainError.code).toBe(code);
              if (details) expect(domainError.details).toMatchObject(details);
              return domainError;
            },
          };
        },
      };
    },
  };
}

/** Folds events into state, for assertions about `evolve` itself. */
export function fold<S, E extends DomainEvent>(decider: PureDecider<unknown, S, E>, events: readonly E[]): S {
  return events.reduce(decider.evolve, decider.initialState());
}
