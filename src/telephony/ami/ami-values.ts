import { AmiInjectionError, AmiInvalidActionError } from './ami-errors';

/**
 * The AMI injection guard. AMI is line-based (`Key: Value` CRLF, blank line ends an action), so a
 * CR or LF in any value — a campaign name, a caller ID, a dialed number — would let the value
 * add headers or whole actions (`x\r\n\r\nAction: Originate\r\n...`). Every control character
 * (C0, DEL, C1, and the Unicode line/paragraph separators) is refused, not escaped: AMI has no
 * escaping, and no legitimate value needs one. Pure, so callers check before anything is written.
 */

/** A header value as callers give it; the object form is only for `Variable` (one `Variable: K=V` each). */
export type AmiValue = string | number | boolean | undefined | Readonly<Record<string, string>>;

/** An action as callers give it: `Action` plus headers; undefined headers are left out. */
export interface AmiAction {
  readonly Action: string;
  readonly [header: string]: AmiValue;
}

/** What goes to asterisk-manager: lower-cased names (it re-capitalises them), checked strings. */
export type SafeAmiRequest = Record<string, string | Record<string, string>>;

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const ACTION_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const HEADER_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** `NAME`, `_NAME` (inherited once) or `__NAME` (inherited always). */
const VARIABLE_NAME = /^_{0,2}[A-Za-z][A-Za-z0-9_]*$/;
/** The client owns ActionID (it matches responses by it); asterisk-manager owns nothing else. */
const RESERVED = new Set(['actionid']);

/** Refuses control characters in one value. */
export function assertSafeAmiValue(field: string, value: string): void {
  const index = value.search(CONTROL);
  if (index >= 0) {
    const code = value.charCodeAt(index).toString(16).padStart(4, '0');
    throw new AmiInjectionError(field, `contains control character U+${code.toUpperCase()} at position ${index}`);
  }
}

/**
 * Asterisk splits each `Variable:` header on ',' (so `A=1,B=2` sets two variables): a comma in a
 * value would smuggle another variable, e.g. one overriding SIREN_CALL_ID. Refused too.
 */
export function assertSafeVariable(name: string, value: string): void {
  const field = `Variable.${name}`;
  assertSafeAmiValue(field, name);
  if (!VARIABLE_NAME.test(name)) throw new AmiInjectionError(field, 'variable name must be letters, digits and _ (optionally _ or __ prefixed)');
  assertSafeAmiValue(field, value);
  if (value.includes(',')) throw new AmiInjectionError(field, "contains ',' which Asterisk reads as a variable separator");
}

/** Checks every part of an action and returns it in the shape asterisk-manager writes. Throws before anything is sent. */
export function toSafeAmiRequest(action: AmiAction): SafeAmiRequest {
  const out: SafeAmiRequest = {};
  for (const [name, value] of Object.entries(action)) {
    if (value === undefined) continue;
    assertSafeAmiValue(name, name);
    if (!HEADER_NAME.test(name)) throw new AmiInjectionError(name, 'header name must be letters, digits, - and _');
    const key = name.toLowerCase();
    if (RESERVED.has(key)) throw new AmiInvalidActionError(`${name} is set by the AMI client`);
    if (key in out) throw new AmiInvalidActionError(`header ${name} given twice`);
    out[key] = key === 'variable' ? safeVariables(value) : safeScalar(name, value);
  }
  const actionName = out.action;
  if (typeof actionName !== 'string' || !ACTION_NAME.test(actionName)) {
    throw new AmiInjectionError('Action', 'action name must be letters and digits');
  }
  return out;
}

function safeScalar(field: string, value: Exclude<AmiValue, undefined>): string {
  if (typeof value === 'object') throw new AmiInvalidActionError(`${field} must be a string, number or boolean`);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new AmiInvalidActionError(`${field} must be a finite number`);
  const text = String(value);
  assertSafeAmiValue(field, text);
  return text;
}

function safeVariables(value: Exclude<AmiValue, undefined>): Record<string, string> {
  if (typeof value !== 'object') throw new AmiInvalidActionError('Variable must be given as { NAME: value }');
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new AmiInvalidActionError(`Variable.${name} must be a string`);
    assertSafeVariable(name, v);
    out[name] = v;
  }
  return out;
}
