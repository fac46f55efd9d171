import { ConfigError, loadConfig, redactUrl } from '../../src/config';

describe('configuration', () => {
  it('defaults to embedded PGlite with sane limits when nothing is set', () => {
    const config = loadConfig({});
    expect(config.eventStore.adapter).toBe('pglite');
    expect(config.eventStore.SIREN_DATA_DIR).toBe('./.siren');
    expect(config.app.SIREN_IMPORT_MAX_BYTES).toBe(5 * 1024 * 1024);
    expect(config.app.SIREN_IMPORT_MAX_NUMBERS).toBe(100_000);
    expect(config.app.SIREN_DEFAULT_REGION).toBe('US');
  });

  it('prefers EventStoreDB over PostgreSQL, PostgreSQL over PGlite', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).eventStore.adapter).toBe('postgres');
    expect(
      loadConfig({ DATABASE_URL: 'postgres://u@h/db', EVENTSTORE_URL: 'esdb://h:2113?tls=false' }).eventStore.adapter,
    ).toBe('eventstoredb');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', LOG_LEVEL: ' ' }).eventStore.adapter).toBe('pglite');
  });

  it.each([
    ['DATABASE_URL', 'mysql://u@h/db'],
    ['EVENTSTORE_URL', 'http://h:2113'],
    ['LOG_LEVEL', 'loud'],
    ['SIREN_DEFAULT_REGION', 'usa'],
    ['SIREN_IMPORT_MAX_NUMBERS', 'many'],
    ['SIREN_IMPORT_MAX_BYTES', '12'],
  ])('refuses a bad %s with a one-line error naming it', (variable, value) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message.startsWith(`${variable}: `)).toBe(true);
    expect((error as Error).message).not.toContain('\n');
  });

  it('says "not a number" rather than a range complaint for a non-number', () => {
    expect(() => loadConfig({ SIREN_IMPORT_MAX_NUMBERS: 'many' })).toThrow('SIREN_IMPORT_MAX_NUMBERS: must be a whole number');
  });

  it('never echoes a password back', () => {
    expect(redactUrl('postgres://siren:s3cret@db:5432/siren')).toBe('postgres://siren:***@db:5432/siren');
    expect(redactUrl('postgres://siren@db:5432/siren')).toBe('postgres://siren@db:5432/siren');
  });
});
