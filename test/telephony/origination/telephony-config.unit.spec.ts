import { ConfigError } from '../../../src/config/config-error';
import { TelephonyConfig, parseTelephonyConfig } from '../../../src/telephony/origination';

function configError(env: Record<string, string>): ConfigError {
  try {
    parseTelephonyConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('telephony configuration', () => {
  it('has working defaults when nothing is set', () => {
    const config = parseTelephonyConfig({});
    expect(config).toMatchObject({
      dialPrefix: '',
      keepPlus: false,
      defaultRoute: 'main',
      dialTemplate: 'PJSIP/{prefix}{number}@{trunk}',
      originateTimeoutMs: 45_000,
      autodialContext: 'siren-autodial',
      agentFirstContext: 'siren-agent-first',
      amd: false,
    });
    expect(config.prompt).toBeUndefined();
    expect([...config.routes]).toEqual([
      ['main', [{ trunk: 'trunk-main', weight: 1 }]],
      ['red', [{ trunk: 'trunk-red', weight: 1 }]],
      ['black', [{ trunk: 'trunk-black', weight: 1 }]],
    ]);
    expect(config.trunkTemplates.size).toBe(0);
  });

  it('property names are the variable names', () => {
    expect(Object.keys(new TelephonyConfig())).toEqual(
      expect.arrayContaining(['SIREN_DIAL_PREFIX', 'SIREN_ROUTES', 'SIREN_DIAL_TEMPLATE', 'SIREN_TRUNK_TEMPLATES', 'SIREN_ORIGINATE_TIMEOUT_MS', 'SIREN_AUTODIAL_CONTEXT', 'SIREN_AGENT_FIRST_CONTEXT']),
    );
  });

  it('reads weighted routes, per-trunk templates and the rest', () => {
    const config = parseTelephonyConfig({
      SIREN_DIAL_PREFIX: '9',
      SIREN_ROUTES: ' main = carrierA:3 , carrierB:1 ; red=carrierC ; standby=carrierA:1,carrierD:0 ',
      SIREN_TRUNK_TEMPLATES: 'carrierB=SIP/{number}@carrierB; carrierD=IAX2/{prefix}{number}@carrierD',
      SIREN_DIAL_KEEP_PLUS: 'true',
      SIREN_ORIGINATE_TIMEOUT_MS: '30000',
      SIREN_DEFAULT_ROUTE: 'red',
      SIREN_AMD: 'yes',
      SIREN_PROMPT: 'custom/press-one',
    });
    expect(config.routes.get('main')).toEqual([{ trunk: 'carrierA', weight: 3 }, { trunk: 'carrierB', weight: 1 }]);
    expect(config.routes.get('red')).toEqual([{ trunk: 'carrierC', weight: 1 }]);
    expect(config.routes.get('standby')).toEqual([{ trunk: 'carrierA', weight: 1 }, { trunk: 'carrierD', weight: 0 }]);
    expect(Object.fromEntries(config.trunkTemplates)).toEqual({ carrierB: 'SIP/{number}@carrierB', carrierD: 'IAX2/{prefix}{number}@carrierD' });
    expect(config).toMatchObject({ dialPrefix: '9', keepPlus: true, originateTimeoutMs: 30_000, defaultRoute: 'red', amd: true, prompt: 'custom/press-one' });
  });

  it.each([
    ['SIREN_DIAL_PREFIX', '9a'],
    ['SIREN_ROUTES', 'main'],
    ['SIREN_ROUTES', 'main=carrierA:x'],
    ['SIREN_ROUTES', 'main=carrierA:-1'],
    ['SIREN_ROUTES', 'main=carrierA:0'],
    ['SIREN_ROUTES', 'main=carrierA,carrierA'],
    ['SIREN_ROUTES', 'main=a;main=b'],
    ['SIREN_ROUTES', 'main=bad trunk'],
    ['SIREN_DIAL_TEMPLATE', 'PJSIP/{prefix}@{trunk}'],
    ['SIREN_DIAL_TEMPLATE', 'PJSIP/{number}@{carrier}'],
    ['SIREN_DIAL_TEMPLATE', 'PJSIP/{number},x@{trunk}'],
    ['SIREN_DIAL_TEMPLATE', 'no-slash-{number}'],
    ['SIREN_TRUNK_TEMPLATES', 'trunk-main'],
    ['SIREN_TRUNK_TEMPLATES', 'trunk-main=SIP/@x'],
    ['SIREN_TRUNK_TEMPLATES', 'carrierZ=SIP/{number}@carrierZ'],
    ['SIREN_DIAL_KEEP_PLUS', 'maybe'],
    ['SIREN_ORIGINATE_TIMEOUT_MS', 'soon'],
    ['SIREN_ORIGINATE_TIMEOUT_MS', '10'],
    ['SIREN_AUTODIAL_CONTEXT', 'bad context'],
    ['SIREN_AGENT_FIRST_CONTEXT', 'x,y'],
    ['SIREN_DEFAULT_ROUTE', 'gold'],
    ['SIREN_PROMPT', 'a,b'],
  ])('refuses a bad %s (%j) with an error naming the variable', (variable, value) => {
    const error = configError({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).not.toContain('\n');
  });

  it('explains what is wrong with a route', () => {
    expect(configError({ SIREN_ROUTES: 'main=carrierA:x' }).message).toBe('SIREN_ROUTES: route main: weight of carrierA must be a whole number 0–1000');
    expect(configError({ SIREN_DIAL_TEMPLATE: 'PJSIP/{number}@{carrier}' }).message).toContain('unknown placeholder {carrier}');
    expect(configError({ SIREN_TRUNK_TEMPLATES: 'carrierZ=SIP/{number}@carrierZ' }).message).toBe('SIREN_TRUNK_TEMPLATES: trunk carrierZ is in no route of SIREN_ROUTES');
  });
});
