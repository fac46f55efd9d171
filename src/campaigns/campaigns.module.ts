import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CreateCampaignHandler } from './create-campaign/create-campaign.handler';
import { ImportContactsHandler } from './import-contacts/import-contacts.handler';
import { StartCampaignHandler } from './start-campaign/start-campaign.handler';
import { PauseCampaignHandler } from './pause-campaign/pause-campaign.handler';
import { ResumeCampaignHandler } from './resume-campaign/resume-campaign.handler';
import { CancelCampaignHandler } from './cancel-campaign/cancel-campaign.handler';
import { CompleteCampaignHandler } from './complete-campaign/complete-campaign.handler';

export const CAMPAIGNS_COMMAND_HANDLERS = [
  CreateCampaignHandler,
  ImportContactsHandler,
  StartCampaignHandler,
  PauseCampaignHandler,
  ResumeCampaignHandler,
  CancelCampaignHandler,
  CompleteCampaignHandler,
];

/**
 * Registers the campaign command handlers. EVENT_STORE and CLOCK are not provided here: the app
 * binds them once, in a @Global() module, so every context shares one store and one clock.
 */
@Module({
  imports: [CqrsModule],
  providers: [...CAMPAIGNS_COMMAND_HANDLERS],
})
export class CampaignsModule {}
