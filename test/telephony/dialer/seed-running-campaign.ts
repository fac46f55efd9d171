import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import pino from 'pino';
import { AuthorizeAgent } from '../../../src/agents/authorize-agent/authorize-agent.command';
import { GrantAutodial } from '../../../src/agents/grant-autodial/grant-autodial.command';
import { RegisterAgent } from '../../../src/agents/register-agent/register-agent.command';
import { SetCallerId } from '../../../src/agents/set-caller-id/set-caller-id.command';
import { AppModule } from '../../../src/app.module';
import type { RetryPolicy } from '../../../src/calls/retry-policy';
import { type Contact, MAX_CONTACTS_PER_CHUNK } from '../../../src/campaigns/campaign.events';
import { CreateCampaign } from '../../../src/campaigns/create-campaign/create-campaign.command';
import { ImportContacts } from '../../../src/campaigns/import-contacts/import-contacts.command';
import { StartCampaign } from '../../../src/campaigns/start-campaign/start-campaign.command';
import { loadConfig } from '../../../src/config';
import { openPgliteEventStore } from '../../../src/eventstore/postgres';
import type { SirenCommand } from '../../../src/shared/command';
import { systemClock } from '../../../src/shared/tokens';

const AGENT_ID = 'kill9-agent';
const ADMIN = 'admin:kill9';
const CALLER_ID = '+12025550100';

export interface RunningCampaign {
  campaignId: string;
  contacts: readonly Contact[];
  retryPolicy: RetryPolicy;
  maxConcurrentCalls: number;
}

/**
 * Leaves a started campaign in the embedded store at `dataDir`, for a `siren start` process to
 * dial. Written on the real clock, as that process reads it; the calling window runs from an
 * hour before now to two hours after (UTC, crossing midnight if need be), so a test cannot meet a
 * closed window whatever the hour it runs at.
 */
export async function seedRunningCampaign(dataDir: string, campaign: RunningCampaign): Promise<void> {
  const eventStore = await openPgliteEventStore(dataDir);
  try {
    const config = loadConfig({});
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ config, eventStore, logger: pino({ level: 'silent' }), clock: systemClock }),
      { logger: false },
    );
    try {
      const bus = app.get(CommandBus);
      const dispatch = (command: SirenCommand<unknown>) => bus.execute(command);
      await dispatch(new RegisterAgent({ agentId: AGENT_ID, telegramUserId: '100000009', name: 'Kill Nine' }));
      await dispatch(new AuthorizeAgent({ agentId: AGENT_ID, by: ADMIN }));
      await dispatch(new GrantAutodial({ agentId: AGENT_ID, granted: true, by: ADMIN }));
      await dispatch(new SetCallerId({ agentId: AGENT_ID, kind: 'autodial', callerId: CALLER_ID }));
      await dispatch(
        new CreateCampaign({
          campaignId: campaign.campaignId,
          name: `Kill -9 ${campaign.campaignId}`,
          agentId: AGENT_ID,
          timeZone: 'UTC',
          callingWindow: openAroundNow(),
          retryPolicy: campaign.retryPolicy,
          maxConcurrentCalls: campaign.maxConcurrentCalls,
          route: config.telephony.defaultRoute,
          callerId: CALLER_ID,
        }),
      );
      for (let i = 0; i * MAX_CONTACTS_PER_CHUNK < campaign.contacts.length; i++) {
        const chunk = campaign.contacts.slice(i * MAX_CONTACTS_PER_CHUNK, (i + 1) * MAX_CONTACTS_PER_CHUNK);
        await dispatch(new ImportContacts({ campaignId: campaign.campaignId, chunkIndex: i, contacts: chunk.map((c) => ({ ...c })) }));
      }
      await dispatch(new StartCampaign({ campaignId: campaign.campaignId }));
    } finally {
      await app.close();
    }
  } finally {
    await eventStore.close();
  }
}

function openAroundNow(): { start: string; end: string } {
  const hour = new Date().getUTCHours();
  const at = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
  return { start: at(hour - 1), end: at(hour + 2) };
}
