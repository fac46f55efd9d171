import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../eventstore/event-store.port';
import type { CommandOutcome } from '../../shared/command';
import { handleCommand } from '../../shared/handle-command';
import { CLOCK, EVENT_STORE, type Clock } from '../../shared/tokens';
import { agentDecider } from '../agent.decider';
import { SelectRoute } from './select-route.command';

@CommandHandler(SelectRoute)
export class SelectRouteHandler implements ICommandHandler<SelectRoute> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(command: SelectRoute): Promise<CommandOutcome> {
    return handleCommand(this.store, this.clock, agentDecider, command);
  }
}
