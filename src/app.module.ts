import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Logger } from 'pino';
import { AgentsModule } from './agents/agents.module';
import { CallsModule } from './calls/calls.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { SirenConfig } from './config';
import { EventStore } from './eventstore/event-store.port';
import { CLOCK, Clock, EVENT_STORE, systemClock } from './shared/tokens';

export const CONFIG = Symbol('SirenConfig');
export const LOGGER = Symbol('Logger');

export interface AppModuleOptions {
  config: SirenConfig;
  eventStore: EventStore;
  logger: Logger;
  clock?: Clock;
}

/**
 * The root module. Infrastructure is opened before Nest starts (so a bad DATABASE_URL fails with
 * one clear line rather than a Nest stack trace) and handed in here as values.
 */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [CqrsModule.forRoot(), ...contextModules()],
      providers: [
        { provide: CONFIG, useValue: options.config },
        { provide: EVENT_STORE, useValue: options.eventStore },
        { provide: LOGGER, useValue: options.logger },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
      ],
      exports: [CONFIG, EVENT_STORE, LOGGER, CLOCK],
    };
  }
}

/** The bounded contexts: each registers its own command handlers. */
function contextModules() {
  return [CampaignsModule, CallsModule, AgentsModule];
}
