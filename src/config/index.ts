import { AppConfig } from './app.config';
import { EventStoreConfig } from './event-store.config';
import { Env, readConfig } from './read-config';

export { AppConfig, EventStoreConfig };
export { ConfigError, redactUrl } from './config-error';

/** Every configuration object, read once at start-up. Nothing else reads process.env. */
export interface SirenConfig {
  app: AppConfig;
  eventStore: EventStoreConfig;
}

export function loadConfig(env: Env = process.env): SirenConfig {
  return {
    app: readConfig(AppConfig, env),
    eventStore: readConfig(EventStoreConfig, env),
  };
}
