import { Command } from 'commander';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../app.module';
import { ConfigError, loadConfig, redactUrl } from '../../config';
import { openTelephony, TelephonyConnection } from '../../telephony/telephony-connection';
import { startDialer } from '../../telephony/dialer/start-dialer';
import { systemClock } from '../../shared/tokens';
import { openEventStore } from '../../eventstore/open-event-store';
import type { EventStore } from '../../eventstore/event-store.port';
import { createLogger } from '../../shared/logger';
import { allProjections, openReadModels, ProjectionRunner, ReadModelDatabase } from '../../projections';
import type { RebuildProgress } from '../../projections/rebuild';
import type { Logger } from 'pino';

export function startCommand(): Command {
  return new Command('start')
    .description('run the Siren service until interrupted (Ctrl-C or SIGTERM)')
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger(config.app.LOG_LEVEL);
      const eventStore = await openEventStore(config.eventStore);
      let readModels: ReadModelDatabase;
      try {
        readModels = await openReadModels(config.eventStore, { onBackgroundError: (err) => logger.error({ err }, 'read-model database connection lost') });
      } catch (error) {
        await eventStore.close();
        throw error;
      }
      let telephony: TelephonyConnection;
      try {
        telephony = await openTelephony(config.ami, logger);
      } catch (error) {
        await readModels.close();
        await eventStore.close();
        // A refused login is the secret's fault; anything else (refused, unreachable) the host's.
        const variable = (error as { code?: string }).code === 'AMI_LOGIN_FAILED' ? 'AMI_SECRET' : 'AMI_HOST';
        throw new ConfigError(variable, `cannot connect to the PBX: ${error instanceof Error ? error.message : String(error)}`);
      }
      const app = await NestFactory.createApplicationContext(
        AppModule.forRoot({ config, eventStore, logger, clock: systemClock }),
        { logger: false },
      );
      const dialer = await startDialer({ app, config, eventStore, ami: telephony.ami, clock: systemClock, logger });
      const projections = await startProjections(eventStore, readModels, logger);
      // Listen for the stop signal before announcing readiness, so a supervisor that stops us
      // right after "Siren started" gets a clean shutdown.
      const shutdown = waitForShutdownSignal();
      logger.info(
        {
          eventStore: eventStore.name,
          location: describeLocation(config),
          head: String(await eventStore.headPosition()),
          pbx: telephony.simulator ? `built-in simulator on 127.0.0.1:${telephony.simulator.port}` : `${config.ami.AMI_HOST}:${config.ami.AMI_PORT}`,
        },
        'Siren started',
      );
      if (eventStore.name === 'pglite') {
        logger.warn('embedded PGlite does not fsync: for production durability use DATABASE_URL (PostgreSQL) or EVENTSTORE_URL');
      }
      await shutdown;
      logger.info('Siren stopping');
      await dialer.stop();
      await projections.stop();
      await readModels.close();
      await app.close();
      await telephony.close();
      await eventStore.close();
    });
}

/**
 * Keeps the read models up to date from the event log. A projection that fails stops alone (the
 * log says why; `siren projections status` shows it) while Siren keeps dialing; one whose version
 * changed is rebuilt in the background while the old version serves.
 */
async function startProjections(eventStore: EventStore, db: ReadModelDatabase, logger: Logger): Promise<{ stop(): Promise<void> }> {
  const lastLogged = new Map<string, number>();
  const runner = new ProjectionRunner({
    store: eventStore,
    db,
    projections: allProjections(),
    onFailure: (projection, err) => logger.error({ projection, err: err.message }, 'projection stopped; it resumes from its checkpoint at the next start'),
    onRebuildProgress: (p: RebuildProgress) => {
      // A line at the start, about every 10 s, and at the end: enough to follow, not a flood.
      const last = lastLogged.get(p.projection);
      if (p.phase === 'building' && last !== undefined && Date.now() - last < 10_000) return;
      lastLogged.set(p.projection, Date.now());
      logger.info(
        { projection: p.projection, phase: p.phase, events: p.events, total: p.total, eventsPerSecond: Math.round(p.eventsPerSecond) },
        p.phase === 'done' ? 'new projection version swapped in' : 'rebuilding a new projection version in the background',
      );
    },
    onRebuildSwapWait: (w) =>
      logger.warn({ projection: w.projection, attempt: w.attempt, attempts: w.attempts, lockTimeoutMs: w.lockTimeoutMs }, 'swap waited for a long query on the live tables; trying again'),
  });
  const head = await eventStore.headPosition();
  await runner.start().catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : String(err) }, 'projections did not all start'));
  const caughtUp = whenCaughtUp(runner, head, () => logger.info({ position: String(head) }, 'read models caught up with the log'));
  return { stop: () => caughtUp.cancel().then(() => runner.stop()) };
}

/** Calls `then` once every projection has applied the log up to `head` (checked every 500 ms). */
function whenCaughtUp(runner: ProjectionRunner, head: bigint, then: () => void): { cancel(): Promise<void> } {
  let cancelled = false;
  let pending: Promise<void> = Promise.resolve();
  const check = (): void => {
    if (cancelled) return;
    pending = runner.status().then(
      (statuses) => {
        if (cancelled) return;
        if (statuses.every((s) => s.checkpoint >= head)) then();
        else setTimeout(check, 500).unref();
      },
      () => undefined, // the database went away: the failure is logged by the runner
    );
  };
  check();
  return {
    cancel: () => {
      cancelled = true;
      return pending;
    },
  };
}

function describeLocation(config: ReturnType<typeof loadConfig>): string {
  const es = config.eventStore;
  if (es.adapter === 'eventstoredb') return redactUrl(es.EVENTSTORE_URL!);
  if (es.adapter === 'postgres') return redactUrl(es.DATABASE_URL!);
  return es.SIREN_DATA_DIR;
}

function waitForShutdownSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
