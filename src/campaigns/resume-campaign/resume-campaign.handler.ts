import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../eventstore/event-store.port';
import type { CommandOutcome } from '../../shared/command';
import { handleCommand } from '../../shared/handle-command';
import { CLOCK, EVENT_STORE, type Clock } from '../../shared/tokens';
import { campaignDecider } from '../campaign.decider';
import { ResumeCampaign } from './resume-campaign.command';

@CommandHandler(ResumeCampaign)
export class ResumeCampaignHandler implements ICommandHandler<ResumeCampaign> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(command: ResumeCampaign): Promise<CommandOutcome> {
    return handleCommand(this.store, this.clock, campaignDecider, command);
  }
}
