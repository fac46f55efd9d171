import 'reflect-metadata';
import { Global, Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { AgentsModule } from '../../src/agents/agents.module';
import { RegisterAgent } from '../../src/agents/register-agent/register-agent.command';
import { CallsModule } from '../../src/calls/calls.module';
import { RecordAnswer } from '../../src/calls/record-answer/record-answer.command';
import { RecordDtmf } from '../../src/calls/record-dtmf/record-dtmf.command';
import { RecordHangup } from '../../src/calls/record-hangup/record-hangup.command';
import { RequestCall } from '../../src/calls/request-call/request-call.command';
import { CampaignsModule } from '../../src/campaigns/campaigns.module';
import { CreateCampaign } from '../../src/campaigns/create-campaign/create-campaign.command';
import { ImportContacts } from '../../src/campaigns/import-contacts/import-contacts.command';
import { PauseCampaign } from '../../src/campaigns/pause-campaign/pause-campaign.command';
import { StartCampaign } from '../../src/campaigns/start-campaign/start-campaign.command';
import { WrongExpectedRevisionError, type EventStore } from '../../src/eventstore/event-store.port';
import { openPgliteEventStore } from '../../src/eventstore/postgres';
import { DomainError } from '../../src/shared/domain-error';
import { CLOCK, EVENT_STORE, type Clock } from '../../src/shared/tokens';

/** Stands in for the app's infrastructure module: one store and one clock for every context. */
@Global()
@Module({})
class TestInfrastructureModule {
  static with(store: EventStore, clock: Clock): DynamicModule {
    return {
      module: TestInfrastructureModule,
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [EVENT_STORE, CLOCK],
    };
  }
}

/** Counts the conflicts the handlers ran into, to prove the races below really raced. */
function countingConflicts(store: EventStore): EventStore & { conflicts: number } {
  const counting = Object.create(store) as EventStore & { conflicts: number };
  counting.conflicts = 0;
  counting.append = async (...args) => {
    try {
      return await store.append(...args);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) counting.conflicts += 1;
      throw error;
    }
  };
  return counting;
}

describe('command handlers on a real CommandBus and PGlite event store', () => {
  let store: EventStore & { conflicts: number };
  let app: INestApplicationContext;
  let bus: CommandBus;
  let now = new Date('2025-03-01T09:00:00.000Z');
  const clock: Clock = { now: () => now };

  beforeAll(async () => {
    store = countingConflicts(await openPgliteEventStore());
    @Module({
      imports: [TestInfrastructureModule.with(store, clock), CqrsModule.forRoot(), CampaignsModule, CallsModule, AgentsModule],
    })
    class TestAppModule {}
    app = await NestFactory.createApplicationContext(TestAppModule, { logger: false });
    await app.init();
    bus = app.get(CommandBus);
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const createCampaign = (campaignId: string) =>
    bus.execute(
      new CreateCampaign({
        campaignId,
        name: 'March renewals',
        agentId: 'a1',
        timeZone: 'Europe/Berlin',
        callingWindow: { start: '09:00', end: '18:00' },
        maxConcurrentCalls: 5,
        route: 'main',
        meta: { correlationId: 'corr-1', causationId: 'upload-1', actor: 'agent:a1' },
      }),
    );
  const importChunk = (campaignId: string, chunkIndex: number) =>
    bus.execute(
      new ImportContacts({
        campaignId,
        chunkIndex,
        contacts: [{ contactId: `${campaignId}-k${chunkIndex}`, phone: `+49151123${String(chunkIndex).padStart(5, '0')}` }],
      }),
    );

  it('runs a campaign command end to end and stores metadata from the command', async () => {
    await expect(createCampaign('c1')).resolves.toEqual({ streamId: 'campaign-c1', revision: 0, appended: 1 });
    await importChunk('c1', 0);
    await expect(bus.execute(new StartCampaign({ campaignId: 'c1' }))).resolves.toEqual({
      streamId: 'campaign-c1',
      revision: 2,
      appended: 1,
    });
    const events = await store.readStream('campaign-c1');
    expect(events.map((event) => [event.revision, event.type, event.schemaVersion])).toEqual([
      [0, 'CampaignCreated', 2],
      [1, 'ContactsImported', 1],
      [2, 'CampaignStarted', 1],
    ]);
    expect(events[0].metadata).toMatchObject({ correlationId: 'corr-1', causationId: 'upload-1', actor: 'agent:a1' });
  });

  it('runs a call through its life with times from the clock', async () => {
    now = new Date('2025-03-01T10:00:00.000Z');
    await bus.execute(
      new RequestCall({ callId: 'x1', agentId: 'a1', phone: '+4915112345678', attempt: 1, trackingId: 'JKD1.1', kind: 'autodial' }),
    );
    now = new Date('2025-03-01T10:00:08.000Z');
    await bus.execute(new RecordAnswer({ callId: 'x1' }));
    await bus.execute(new RecordDtmf({ callId: 'x1', digit: '1', source: 'userevent' }));
    now = new Date('2025-03-01T10:00:38.000Z');
    await bus.execute(new RecordHangup({ callId: 'x1', cause: 16 }));
    const [, , , hungUp] = await store.readStream('call-x1');
    expect(hungUp).toMatchObject({
      type: 'CallHungUp',
      data: { disposition: 'answered', ringSeconds: 8, talkSeconds: 30, durationSeconds: 38 },
    });
  });

  it('refuses an invalid command with INVALID_COMMAND and appends nothing', async () => {
    const head = await store.headPosition();
    await expect(bus.execute(new RegisterAgent({ agentId: 'a9', telegramUserId: 'not-a-number', name: 'X' }))).rejects.toMatchObject({
      code: 'INVALID_COMMAND',
      properties: ['telegramUserId'],
    });
    expect(await store.headPosition()).toBe(head);
    expect(await store.streamRevision('agent-a9')).toBeNull();
  });

  it('lets concurrent writers to one stream all succeed through retries, leaving a gap-free stream', async () => {
    await createCampaign('c2');
    const before = store.conflicts;
    const outcomes = await Promise.all([1, 2, 3, 4].map((chunk) => importChunk('c2', chunk)));
    expect(outcomes.every((outcome) => outcome.appended === 1)).toBe(true);
    expect(store.conflicts).toBeGreaterThan(before);

    const events = await store.readStream('campaign-c2');
    expect(events.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);
    const chunks = events.slice(1).map((event) => (event.data as { chunkIndex: number }).chunkIndex);
    expect([...chunks].sort()).toEqual([1, 2, 3, 4]);
  });

  it('lets exactly one of two racing pauses win; the loser fails cleanly after re-deciding', async () => {
    await createCampaign('c3');
    await importChunk('c3', 0);
    await bus.execute(new StartCampaign({ campaignId: 'c3' }));
    const results = await Promise.allSettled([
      bus.execute(new PauseCampaign({ campaignId: 'c3' })),
      bus.execute(new PauseCampaign({ campaignId: 'c3' })),
    ]);
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toBeInstanceOf(DomainError);
    expect(rejected[0].reason.code).toBe('CAMPAIGN_NOT_RUNNING');
    const types = (await store.readStream('campaign-c3')).map((event) => event.type);
    expect(types).toEqual(['CampaignCreated', 'ContactsImported', 'CampaignStarted', 'CampaignPaused']);
  });
});
