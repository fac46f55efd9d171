import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min, ValidateBy } from 'class-validator';
import { ConfigError } from '../../config/config-error';
import { type Env, readConfig } from '../../config/read-config';
import { DEFAULT_DIAL_TEMPLATE, checkDialTemplate } from './dial-string';
import { NAME, type Routes, knownTrunks, parseRoutes } from './routes';

// As in src/config: property names are the variable names; the decorator nearest the property is
// checked first, so with stopAtFirstError the operator hears the most basic problem.

/**
 * How Siren originates calls (M5). Read once at start-up; `parseTelephonyConfig` turns it into the
 * parsed `OriginationConfig` the pure builders take. Formats: SIREN_ROUTES in routes.ts,
 * templates in dial-string.ts.
 */
export class TelephonyConfig {
  /** Prepended to every dialed number where a template says `{prefix}`. */
  @Matches(/^[0-9*#]{0,16}$/, { message: 'must be up to 16 digits, * or #' })
  SIREN_DIAL_PREFIX: string = '';

  /** `main=carrierA:3,carrierB:1;red=carrierC:1` — see routes.ts. */
  @ValidateBy({ name: 'routes', validator: { validate: (v: unknown) => parseError(() => parseRoutes(String(v))) === undefined, defaultMessage: (a) => parseError(() => parseRoutes(String(a?.value))) ?? 'is invalid' } })
  SIREN_ROUTES: string = 'main=trunk-main:1;red=trunk-red:1;black=trunk-black:1';

  /** The route of calls that name none. */
  @Matches(NAME, { message: 'must be a route name' })
  SIREN_DEFAULT_ROUTE: string = 'main';

  @ValidateBy({ name: 'dialTemplate', validator: { validate: (v: unknown) => parseError(() => checkDialTemplate(String(v))) === undefined, defaultMessage: (a) => parseError(() => checkDialTemplate(String(a?.value))) ?? 'is invalid' } })
  SIREN_DIAL_TEMPLATE: string = DEFAULT_DIAL_TEMPLATE;

  /** Per-trunk dial templates overriding SIREN_DIAL_TEMPLATE: `carrierB=SIP/{number}@carrierB;carrierC=...`. */
  @IsOptional()
  @ValidateBy({ name: 'trunkTemplates', validator: { validate: (v: unknown) => parseError(() => parseTrunkTemplates(String(v))) === undefined, defaultMessage: (a) => parseError(() => parseTrunkTemplates(String(a?.value))) ?? 'is invalid' } })
  SIREN_TRUNK_TEMPLATES?: string = undefined;

  /** Keep the '+' of E.164 numbers in dial strings and caller IDs (most carriers want digits only). */
  @Transform(({ value }) => (typeof value === 'string' ? parseBoolean(value) : value))
  @IsBoolean({ message: 'must be true or false' })
  SIREN_DIAL_KEEP_PLUS: boolean = false;

  /** How long the far end may ring (Originate Timeout). */
  @Transform(({ value }) => Number(value))
  @Max(600_000, { message: 'must be at most 600000 ms' })
  @Min(1000, { message: 'must be at least 1000 ms' })
  @IsInt({ message: 'must be a whole number of milliseconds' })
  SIREN_ORIGINATE_TIMEOUT_MS: number = 45_000;

  @Matches(/^[A-Za-z0-9_-]{1,80}$/, { message: 'must be a dialplan context name (letters, digits, _ -)' })
  SIREN_AUTODIAL_CONTEXT: string = 'siren-autodial';

  @Matches(/^[A-Za-z0-9_-]{1,80}$/, { message: 'must be a dialplan context name (letters, digits, _ -)' })
  SIREN_AGENT_FIRST_CONTEXT: string = 'siren-agent-first';

  /** Sets SIREN_AMD=1 on auto-dial calls: the dialplan runs answering-machine detection. */
  @Transform(({ value }) => (typeof value === 'string' ? parseBoolean(value) : value))
  @IsBoolean({ message: 'must be true or false' })
  SIREN_AMD: boolean = false;

  /** Sound file the auto-dial IVR plays (SIREN_PROMPT); unset: the dialplan's own default. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_/.-]{1,200}$/, { message: 'must be a sound file name (letters, digits, _ / . -)' })
  SIREN_PROMPT?: string = undefined;
}

/** Parsed, cross-checked settings; what the pure builders and the Originator take. */
export interface OriginationConfig {
  readonly dialPrefix: string;
  readonly keepPlus: boolean;
  readonly routes: Routes;
  readonly defaultRoute: string;
  readonly dialTemplate: string;
  /** Trunk → template, overriding dialTemplate. */
  readonly trunkTemplates: ReadonlyMap<string, string>;
  readonly originateTimeoutMs: number;
  readonly autodialContext: string;
  readonly agentFirstContext: string;
  readonly amd: boolean;
  readonly prompt?: string;
}

/** Reads and checks the telephony variables; throws ConfigError naming the variable. */
export function parseTelephonyConfig(env: Env): OriginationConfig {
  return toOriginationConfig(readConfig(TelephonyConfig, env));
}

/** The cross-checks a single property's validator cannot make (a template for a trunk no route has ...). */
export function toOriginationConfig(config: TelephonyConfig): OriginationConfig {
  const routes = parseRoutes(config.SIREN_ROUTES);
  if (!routes.has(config.SIREN_DEFAULT_ROUTE)) {
    throw new ConfigError('SIREN_DEFAULT_ROUTE', `route ${config.SIREN_DEFAULT_ROUTE} is not in SIREN_ROUTES (${[...routes.keys()].join(', ')})`);
  }
  const trunkTemplates = config.SIREN_TRUNK_TEMPLATES === undefined ? new Map<string, string>() : parseTrunkTemplates(config.SIREN_TRUNK_TEMPLATES);
  const trunks = knownTrunks(routes);
  for (const trunk of trunkTemplates.keys()) {
    // Most likely a typo, which would silently dial that trunk with the default template.
    if (!trunks.has(trunk)) throw new ConfigError('SIREN_TRUNK_TEMPLATES', `trunk ${trunk} is in no route of SIREN_ROUTES`);
  }
  return {
    dialPrefix: config.SIREN_DIAL_PREFIX,
    keepPlus: config.SIREN_DIAL_KEEP_PLUS,
    routes,
    defaultRoute: config.SIREN_DEFAULT_ROUTE,
    dialTemplate: config.SIREN_DIAL_TEMPLATE,
    trunkTemplates,
    originateTimeoutMs: config.SIREN_ORIGINATE_TIMEOUT_MS,
    autodialContext: config.SIREN_AUTODIAL_CONTEXT,
    agentFirstContext: config.SIREN_AGENT_FIRST_CONTEXT,
    amd: config.SIREN_AMD,
    ...(config.SIREN_PROMPT !== undefined ? { prompt: config.SIREN_PROMPT } : {}),
  };
}

/** `trunk=TEMPLATE;trunk=TEMPLATE` (split at the first '='). */
export function parseTrunkTemplates(text: string): Map<string, string> {
  const templates = new Map<string, string>();
  for (const entry of text.split(';').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = entry.indexOf('=');
    const trunk = eq < 0 ? '' : entry.slice(0, eq).trim();
    if (!NAME.test(trunk)) throw new Error(`"${entry.slice(0, 40)}" is not trunk=TEMPLATE`);
    if (templates.has(trunk)) throw new Error(`trunk ${trunk} is given twice`);
    const template = entry.slice(eq + 1).trim();
    try {
      checkDialTemplate(template);
    } catch (error) {
      throw new Error(`trunk ${trunk}: ${(error as Error).message}`);
    }
    templates.set(trunk, template);
  }
  return templates;
}

function parseBoolean(value: string): boolean | string {
  if (/^(true|1|yes|on)$/i.test(value)) return true;
  if (/^(false|0|no|off)$/i.test(value)) return false;
  return value;
}

function parseError(parse: () => unknown): string | undefined {
  try {
    parse();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
