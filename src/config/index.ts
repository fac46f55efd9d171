import { AppConfig } from './app.config';
import { EventStoreConfig } from './event-store.config';
import { Env, readConfig } from './read-config';
import { AmiConfig } from '../telephony/ami/ami.config';
import { OriginationConfig, parseTelephonyConfig } from '../telephony/origination/telephony.config';
import { DialerConfig } from '../telephony/dialer/dialer.config';

export { AmiConfig, AppConfig, EventStoreConfig };
export { ConfigError, redactUrl } from './config-error';

/** Every configuration object, read once at start-up. Nothing else reads process.env. */
export interface SirenConfig {
  app: AppConfig;
  eventStore: EventStoreConfig;
  ami: AmiConfig;
  /** Routes, trunks, dial strings and dialplan contexts (src/telephony/origination). */
  telephony: OriginationConfig;
  /** Global pacing of the campaign dialer. */
  dialer: DialerConfig;
}

export function loadConfig(env: Env = process.env): SirenConfig {
  return {
    app: readConfig(AppConfig, env),
    eventStore: readConfig(EventStoreConfig, env),
    ami: readConfig(AmiConfig, env),
    telephony: parseTelephonyConfig(env),
    dialer: readConfig(DialerConfig, env),
  };
}
