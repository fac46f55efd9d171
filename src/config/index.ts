import { AppConfig } from './app.config';
import { EventStoreConfig } from './event-store.config';
import { Env, readConfig } from './read-config';
import { AmiConfig } from '../telephony/ami/ami.config';

export { AmiConfig, AppConfig, EventStoreConfig };
export { ConfigError, redactUrl } from './config-error';

/** Every configuration object, read once at start-up. Nothing else reads process.env. */
export interface SirenConfig {
  app: AppConfig;
  eventStore: EventStoreConfig;
  ami: AmiConfig;
}

export function loadConfig(env: Env = process.env): SirenConfig {
  return {
    app: readConfig(AppConfig, env),
    eventStore: readConfig(EventStoreConfig, env),
    ami: readConfig(AmiConfig, env),
  };
}
