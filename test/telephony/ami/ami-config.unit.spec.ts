import { ConfigError } from '../../../src/config/config-error';
import { readConfig } from '../../../src/config/read-config';
import { AmiConfig } from '../../../src/telephony/ami/ami.config';

describe('AmiConfig', () => {
  it('defaults to the built-in simulator and documented limits', () => {
    const config = readConfig(AmiConfig, {});
    expect(config.useBuiltInPbx).toBe(true);
    expect(config).toMatchObject({ AMI_PORT: 5038, AMI_USERNAME: 'siren', AMI_ACTION_TIMEOUT_MS: 10_000, AMI_PING_INTERVAL_MS: 15_000, AMI_RECONNECT_MAX_DELAY_MS: 30_000 });
    expect(config.clientOptions({ host: '127.0.0.1', port: 40001 })).toMatchObject({ host: '127.0.0.1', port: 40001, username: 'siren', secret: 'siren' });
  });

  it('reads a real PBX and never shows the secret when serialised', () => {
    const config = readConfig(AmiConfig, { AMI_HOST: 'pbx.local', AMI_PORT: '5039', AMI_SECRET: 's3cret', AMI_PING_INTERVAL_MS: '0' });
    expect(config.clientOptions()).toMatchObject({ host: 'pbx.local', port: 5039, secret: 's3cret', pingIntervalMs: 0 });
    expect(JSON.stringify(config)).not.toContain('s3cret');
  });

  it.each([
    [{ AMI_HOST: 'pbx.local' }, 'AMI_SECRET'],
    [{ AMI_PORT: 'x' }, 'AMI_PORT'],
    [{ AMI_PORT: '70000' }, 'AMI_PORT'],
    [{ AMI_RECONNECT_MAX_DELAY_MS: '60000' }, 'AMI_RECONNECT_MAX_DELAY_MS'],
    [{ AMI_ACTION_TIMEOUT_MS: '5' }, 'AMI_ACTION_TIMEOUT_MS'],
    [{ AMI_USERNAME: 'a b' }, 'AMI_USERNAME'],
    [{ AMI_HOST: 'pbx.local', AMI_SECRET: 'a\u0001b' }, 'AMI_SECRET'],
  ])('fails fast naming the variable: %j', (env, variable) => {
    expect(() => readConfig(AmiConfig, env)).toThrow(ConfigError);
    expect(() => readConfig(AmiConfig, env)).toThrow(new RegExp(`^${variable}:`));
  });
});
