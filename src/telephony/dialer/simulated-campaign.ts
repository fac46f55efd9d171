import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import type { Logger } from 'pino';
import { AuthorizeAgent } from '../../agents/authorize-agent/authorize-agent.command';
import { GrantAutodial } from '../../agents/grant-autodial/grant-autodial.command';
import { RegisterAgent } from '../../agents/register-agent/register-agent.command';
import { SetCallerId } from '../../agents/set-caller-id/set-caller-id.command';
import { AppModule } from '../../app.module';
import type { RetryPolicy } from '../../calls/retry-policy';
import type { CampaignSummary, Contact } from '../../campaigns/campaign.events';
import { MAX_CONTACTS_PER_CHUNK } from '../../campaigns/campaign.events';
import { CreateCampaign } from '../../campaigns/create-campaign/create-campaign.command';
import { ImportContacts } from '../../campaigns/import-contacts/import-contacts.command';
import { StartCampaign } from '../../campaigns/start-campaign/start-campaign.command';
import type { SirenConfig } from '../../config';
import type { EventStore } from '../../eventstore/event-store.port';
import type { SirenCommand } from '../../shared/command';
import { AmiClient } from '../ami/ami-client';
import { AmiEventIngest, dispatchThrough } from '../ami-events/ami-event-ingest';
import { Originator } from '../origination/originator';
import type { DialerLimits } from '../saga/plan-dialing';
import type { OutcomeMix } from '../simulator/outcome';
import type { SimulatorStats } from '../simulator/simulator-log';
import { DEFAULT_CHANNEL_VARS, type PbxSimulator, startPbxSimulator } from '../simulator/start-pbx-simulator';
import { DialerRuntime } from './dialer-runtime';
import { scaledClock } from './scaled-clock';

export interface SimulatedCampaignOptions {
  eventStore: EventStore;
  config: SirenConfig;
  logger: Logger;
  contacts: readonly Contact[];
  seed: number;
  /** Simulated time runs this many times faster, for the PBX and for Siren's clock alike. */
  timeScale: number;
  outcomes: OutcomeMix | 'last-digit';
  campaignId?: string;
  /** Simulated start time; default now. */
  clockStart?: Date;
  maxConcurrentCalls?: number;
  /** Omitted: the default policy (3 attempts, 30 minutes apart). */
  retryPolicy?: RetryPolicy;
  doNotCall?: ReadonlySet<string>;
  limits?: DialerLimits;
  /** Called about every 100 ms with contacts done / total. */
  onProgress?: (done: number, total: number) => void;
  /** Real milliseconds to wait for CampaignCompleted before giving up. Default 10 minutes. */
  timeoutMs?: number;
  /** Called once the simulator listens, e.g. to inject faults mid-campaign (tests). */
  onPbxStarted?: (pbx: PbxSimulator) => void;
}

export interface SimulatedCampaignResult {
  campaignId: string;
  summary: CampaignSummary;
  /** Originates Siren sent that the PBX accepted. */
  originated: number;
  simulator: SimulatorStats;
  durationMs: number;
}

const AGENT_ID = 'demo-agent';
const ADMIN = 'admin:demo';
const CALLER_ID = '+12025550100';

/**
 * One campaign dialed end to end against the built-in PBX simulator: simulator, AMI client,
 * Nest app (command handlers on a scaled clock), AMI ingest and DialerRuntime, all closed
 * afterwards whatever happens. What `siren demo` runs, and what the dialer's integration test
 * checks; the event store is the caller's.
 */
export async function runSimulatedCampaign(options: SimulatedCampaignOptions): Promise<SimulatedCampaignResult> {
  const { eventStore, config, logger, timeScale } = options;
  const began = Date.now();
  const campaignId = options.campaignId ?? `demo-${options.seed}`;
  const clock = scaledClock(timeScale, options.clockStart ?? new Date());
  const closers: Array<() => Promise<unknown>> = [];
  try {
    const pbx = await startPbxSimulator({ seed: options.seed, timeScale, outcomes: options.outcomes, channelVars: [...DEFAULT_CHANNEL_VARS] });
    closers.unshift(() => pbx.close());
    options.onPbxStarted?.(pbx);
    const ami = new AmiClient({ host: pbx.host, port: pbx.port, username: 'siren', secret: 'siren', pingIntervalMs: 0, logger });
    closers.unshift(() => ami.close());
    await ami.connect();
    const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, eventStore, logger, clock }), { logger: false });
    closers.unshift(() => app.close());
    const bus = app.get(CommandBus);
    const dispatch = (command: SirenCommand<unknown>) => bus.execute(command);

    await prepareCampaign(dispatch, campaignId, options);

    let originated = 0;
    const ingest = new AmiEventIngest({ source: ami, dispatch: dispatchThrough(bus), logger });
    const runtime = new DialerRuntime({
      eventStore,
      dispatch,
      ami,
      originator: new Originator(ami, config.telephony, { logger }),
      ingest,
      originationConfig: config.telephony,
      limits: options.limits ?? { maxGlobalCalls: 200 },
      clock,
      ...(options.doNotCall ? { doNotCall: options.doNotCall } : {}),
      tickMs: 20,
      // Simulated seconds: about two real seconds for an Originate to show up as a channel.
      reconcileGraceSeconds: Math.max(10, 2 * timeScale),
      logger,
      onOriginated: (result) => {
        if (result.status === 'queued') originated += 1;
      },
    });
    closers.unshift(() => runtime.stop());
    const completed = runtime.onCampaignCompleted(campaignId);
    await runtime.start();

    const progress = setInterval(() => {
      const contacts = runtime.dialerState.campaigns.get(campaignId)?.contacts;
      if (contacts) options.onProgress?.(contacts.done, contacts.total);
    }, 100);
    closers.unshift(async () => clearInterval(progress));
    const summary = await withTimeout(completed, options.timeoutMs ?? 600_000, `campaign ${campaignId} did not complete`);
    options.onProgress?.(summary.contacts, summary.contacts);
    // Let the last hang-ups' commands land before the counts are read and everything closes.
    await runtime.stop();
    return { campaignId, summary, originated, simulator: pbx.stats(), durationMs: Date.now() - began };
  } finally {
    for (const close of closers) await close().catch((error: unknown) => logger.warn({ error: String(error) }, 'closing the demo failed'));
  }
}

/** A demo agent allowed to auto-dial, and the campaign created, loaded and started. */
export async function prepareCampaign(
  dispatch: (command: SirenCommand<unknown>) => Promise<unknown>,
  campaignId: string,
  options: Pick<SimulatedCampaignOptions, 'config' | 'contacts' | 'retryPolicy' | 'maxConcurrentCalls'>,
): Promise<void> {
  await dispatch(new RegisterAgent({ agentId: AGENT_ID, telegramUserId: '100000001', name: 'Demo Agent' }));
  await dispatch(new AuthorizeAgent({ agentId: AGENT_ID, by: ADMIN }));
  await dispatch(new GrantAutodial({ agentId: AGENT_ID, granted: true, by: ADMIN }));
  await dispatch(new SetCallerId({ agentId: AGENT_ID, kind: 'autodial', callerId: CALLER_ID }));
  await dispatch(
    new CreateCampaign({
      campaignId,
      name: `Demo ${campaignId}`,
      agentId: AGENT_ID,
      timeZone: 'UTC',
      callingWindow: { start: '00:00', end: '23:59' },
      ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
      maxConcurrentCalls: options.maxConcurrentCalls ?? 50,
      route: options.config.telephony.defaultRoute,
      callerId: CALLER_ID,
    }),
  );
  for (let i = 0; i * MAX_CONTACTS_PER_CHUNK < options.contacts.length; i++) {
    const chunk = options.contacts.slice(i * MAX_CONTACTS_PER_CHUNK, (i + 1) * MAX_CONTACTS_PER_CHUNK);
    await dispatch(new ImportContacts({ campaignId, chunkIndex: i, contacts: chunk.map((c) => ({ ...c })) }));
  }
  await dispatch(new StartCampaign({ campaignId }));
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
