import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Logger } from 'pino';
import type { SirenConfig } from '../../config';
import type { EventStore } from '../../eventstore/event-store.port';
import type { SirenCommand } from '../../shared/command';
import type { Clock } from '../../shared/tokens';
import { AmiEventIngest, dispatchThrough } from '../ami-events/ami-event-ingest';
import type { AmiClient } from '../ami/ami-client';
import { Originator } from '../origination/originator';
import { DialerRuntime } from './dialer-runtime';

/**
 * The dialer as `siren start` runs it: AMI events become call commands, and running campaigns
 * are dialed within the configured limits, on the same clock as the command handlers.
 */
export async function startDialer(deps: {
  app: INestApplicationContext;
  config: SirenConfig;
  eventStore: EventStore;
  ami: AmiClient;
  clock: Clock;
  logger: Logger;
}): Promise<DialerRuntime> {
  const { app, config, eventStore, ami, clock, logger } = deps;
  const bus = app.get(CommandBus);
  const runtime = new DialerRuntime({
    eventStore,
    dispatch: (command: SirenCommand<unknown>) => bus.execute(command),
    ami,
    ingest: new AmiEventIngest({ source: ami, dispatch: dispatchThrough(bus), logger }),
    originator: new Originator(ami, config.telephony, { logger }),
    originationConfig: config.telephony,
    limits: config.dialer.limits,
    clock,
    logger,
  });
  await runtime.start();
  return runtime;
}
