import { assertSafeAmiValue } from '../ami/ami-values';
import { OriginationError } from './origination-errors';

/**
 * Dial strings from templates. A template is `TECH/resource` with placeholders:
 * - `{prefix}`  SIREN_DIAL_PREFIX (digits, `*`, `#`; may be empty);
 * - `{number}`  the number to dial — E.164 with the '+' removed (`+15550100` → `15550100`), unless
 *               SIREN_DIAL_KEEP_PLUS=true keeps it; required in every template;
 * - `{trunk}`   the trunk (the PJSIP endpoint) the call goes out on.
 * Default `PJSIP/{prefix}{number}@{trunk}`. A per-trunk template that leaves `{prefix}` out dials
 * without the prefix (write the carrier's own prefix literally instead). Templates hold no
 * whitespace and no ',' (a dial string also travels in a channel variable, SIREN_TARGET_DIAL).
 */

export interface DialParts {
  prefix: string;
  /** E.164 (`+15550100`) or bare digits. */
  number: string;
  trunk: string;
  /** Keep the '+' of an E.164 number (default false: digits only). */
  keepPlus?: boolean;
}

export const DEFAULT_DIAL_TEMPLATE = 'PJSIP/{prefix}{number}@{trunk}';
const PLACEHOLDERS = new Set(['prefix', 'number', 'trunk']);
const PREFIX = /^[0-9*#]{0,16}$/;
const TRUNK = /^[A-Za-z0-9_.-]{1,64}$/;
const DIALABLE = /^\+?[0-9]{3,20}$/;

/** Throws Error naming what is wrong with a template (the config wraps it with the variable). */
export function checkDialTemplate(template: string): void {
  if (/[\s,]/.test(template) || /[\u0000-\u001f\u007f-\u009f]/.test(template)) throw new Error('a dial template may not contain spaces, commas or control characters');
  if (!/^[A-Za-z0-9]+\/\S+$/.test(template)) throw new Error(`"${template}" is not TECH/resource, e.g. ${DEFAULT_DIAL_TEMPLATE}`);
  const names = [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!);
  const unknown = names.find((name) => !PLACEHOLDERS.has(name));
  if (unknown !== undefined) throw new Error(`unknown placeholder {${unknown}}; use {prefix}, {number}, {trunk}`);
  if (!names.includes('number')) throw new Error(`"${template}" has no {number}`);
  if (/[{}]/.test(template.replace(/\{(prefix|number|trunk)\}/g, ''))) throw new Error(`"${template}" has an unmatched brace`);
}

/** The number as it goes into a dial string or caller ID: E.164 → digits, '+' kept only if asked. */
export function dialNumber(number: string, keepPlus = false, field = 'number'): string {
  assertSafeAmiValue(field, number);
  const trimmed = number.trim();
  if (!DIALABLE.test(trimmed)) throw new OriginationError('INVALID_DIAL_INPUT', `${field} must be E.164 (+ and digits) or digits`, { field });
  return keepPlus ? trimmed : trimmed.replace(/^\+/, '');
}

/** Expands a template; every part is checked (AmiInjectionError for control characters) first. */
export function dialString(template: string, parts: DialParts): string {
  assertSafeAmiValue('dialTemplate', template);
  assertSafeAmiValue('prefix', parts.prefix);
  assertSafeAmiValue('trunk', parts.trunk);
  try {
    checkDialTemplate(template);
  } catch (error) {
    throw new OriginationError('INVALID_DIAL_INPUT', `dial template: ${(error as Error).message}`, { field: 'dialTemplate' });
  }
  if (!PREFIX.test(parts.prefix)) throw new OriginationError('INVALID_DIAL_INPUT', 'dial prefix must be digits, * or #', { field: 'prefix' });
  if (!TRUNK.test(parts.trunk)) throw new OriginationError('INVALID_DIAL_INPUT', 'trunk must be letters, digits, _ . -', { field: 'trunk' });
  const values: Record<string, string> = { prefix: parts.prefix, number: dialNumber(parts.number, parts.keepPlus), trunk: parts.trunk };
  const expanded = template.replace(/\{(prefix|number|trunk)\}/g, (_, name: string) => values[name]!);
  assertSafeAmiValue('channel', expanded);
  return expanded;
}
