import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../eventstore/event-store.port';
import type { CommandOutcome } from '../../shared/command';
import { handleCommand } from '../../shared/handle-command';
import { CLOCK, EVENT_STORE, type Clock } from '../../shared/tokens';
import { agentDecider } from '../agent.decider';
import { DeauthorizeAgent } from './deauthorize-agent.command';

@CommandHandler(DeauthorizeAgent)
export class DeauthorizeAgentHandler implements ICommandHandler<DeauthorizeAgent> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(command: DeauthorizeAgent): Promise<CommandOutcome> {
    return handleCommand(this.store, this.clock, agentDecider, command);
  }
}
