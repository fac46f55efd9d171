/**
 * A message from the PBX (response or event) as Siren sees it: header names lower-cased, one
 * string per header. This is how asterisk-manager hands messages over (it lower-cases names and
 * trims them); on top of that:
 *  - channel variables are flattened: `ChanVariable: NAME=v`, `ChanVariable(PJSIP/x-1): NAME=v`
 *    and `Variable: NAME=v` become `chanvariable.NAME` / `variable.NAME`, NAME kept as sent
 *    (Asterisk variable names are case-sensitive);
 *  - a header that repeats keeps its first value, as Asterisk's own astman_get_header does.
 * Example: `{ event: 'Hangup', uniqueid: 'u1', cause: '16', 'chanvariable.SIREN_CALL_ID': 'c-1' }`.
 */
export type AmiFields = Readonly<Record<string, string>>;

/** A response to an action (`response`, `actionid`, `message`, ...). */
export type AmiResponse = AmiFields;
/** An unsolicited event (`event`, `privilege`, ...). */
export type AmiEvent = AmiFields;

const VARIABLE_KEY = /^(chanvariable|variable)(\(.*\))?$/;

/** Turns asterisk-manager's parsed message (strings, arrays, variable objects) into AmiFields. */
export function normaliseAmiMessage(raw: Readonly<Record<string, unknown>>): AmiFields {
  // Runs for every event the PBX sends: plain loops, no per-key regular expression or array.
  const out: Record<string, string> = {};
  for (const rawKey of Object.keys(raw)) {
    const value = own(raw, rawKey);
    // asterisk-manager splits on ': ', so an empty value sent as `Key:` arrives as key `key:`.
    const key = rawKey.charCodeAt(rawKey.length - 1) === COLON ? rawKey.slice(0, -1) : rawKey;
    if (key.startsWith('chanvariable') || key.startsWith('variable')) {
      const variable = VARIABLE_KEY.exec(key);
      if (variable) {
        addVariables(out, variable[1]!, value);
        continue;
      }
    }
    const first = Array.isArray(value) ? value[0] : value;
    if (first === undefined || first === null || typeof first === 'object') continue;
    if (!(key in out)) out[key] = String(first);
  }
  return out;
}

const COLON = 58;

/** An own property's value, `__proto__` included (Object.entries semantics). */
function own(object: Readonly<Record<string, unknown>>, key: string): unknown {
  return key === '__proto__' ? Object.getOwnPropertyDescriptor(object, key)?.value : object[key];
}

function addVariables(out: Record<string, string>, prefix: string, value: unknown): void {
  if (typeof value === 'string') value = [value];
  if (Array.isArray(value)) {
    for (const assignment of value) {
      const text = String(assignment);
      const eq = text.indexOf('=');
      if (eq > 0) setVariable(out, prefix, text.slice(0, eq), text.slice(eq + 1));
    }
  } else if (value && typeof value === 'object') {
    const variables = value as Readonly<Record<string, unknown>>;
    for (const name of Object.keys(variables)) setVariable(out, prefix, name, String(own(variables, name)));
  }
}

// Every channel event carries the same few variables: their keys are built once, not per event.
const VARIABLE_KEYS = new Map<string, Map<string, string>>();
const MAX_VARIABLE_KEYS = 4096;

function setVariable(out: Record<string, string>, prefix: string, name: string, value: string): void {
  let keys = VARIABLE_KEYS.get(prefix);
  if (!keys) VARIABLE_KEYS.set(prefix, (keys = new Map()));
  let key = keys.get(name);
  if (key === undefined) {
    key = `${prefix}.${name}`;
    if (keys.size < MAX_VARIABLE_KEYS) keys.set(name, key);
  }
  if (name !== '' && !(key in out)) out[key] = value;
}
