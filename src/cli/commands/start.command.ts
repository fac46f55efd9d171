import { Command } from 'commander';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../app.module';
import { ConfigError, loadConfig, redactUrl } from '../../config';
import { openTelephony, TelephonyConnection } from '../../telephony/telephony-connection';
import { startDialer } from '../../telephony/dialer/start-dialer';
import { systemClock } from '../../shared/tokens';
import { openEventStore } from '../../eventstore/open-event-store';
import { createLogger } from '../../shared/logger';

export function startCommand(): Command {
  return new Command('start')
    .description('run the Siren service until interrupted (Ctrl-C or SIGTERM)')
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger(config.app.LOG_LEVEL);
      const eventStore = await openEventStore(config.eventStore);
      let telephony: TelephonyConnection;
      try {
        telephony = await openTelephony(config.ami, logger);
      } catch (error) {
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
      await app.close();
      await telephony.close();
      await eventStore.close();
    });
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
