import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../eventstore/event-store.port';
import type { CommandOutcome } from '../../shared/command';
import { handleCommand } from '../../shared/handle-command';
import { CLOCK, EVENT_STORE, type Clock } from '../../shared/tokens';
import { callDecider } from '../call.decider';
import { RequestCall } from './request-call.command';

@CommandHandler(RequestCall)
export class RequestCallHandler implements ICommandHandler<RequestCall> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(command: RequestCall): Promise<CommandOutcome> {
    return handleCommand(this.store, this.clock, callDecider, command);
  }
}
