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
  const out: Record<string, string> = {};
  for (const [rawKey, value] of Object.entries(raw)) {
    // asterisk-manager splits on ': ', so an empty value sent as `Key:` arrives as key `key:`.
    const key = rawKey.replace(/:$/, '');
    const variable = VARIABLE_KEY.exec(key);
    if (variable) {
      addVariables(out, variable[1]!, value);
      continue;
    }
    const first = Array.isArray(value) ? value[0] : value;
    if (first === undefined || first === null || typeof first === 'object') continue;
    if (!(key in out)) out[key] = String(first);
  }
  return out;
}

function addVariables(out: Record<string, string>, prefix: string, value: unknown): void {
  const set = (name: string, v: string) => {
    const key = `${prefix}.${name}`;
    if (name !== '' && !(key in out)) out[key] = v;
  };
  if (typeof value === 'string') value = [value];
  if (Array.isArray(value)) {
    for (const assignment of value) {
      const text = String(assignment);
      const eq = text.indexOf('=');
      if (eq > 0) set(text.slice(0, eq), text.slice(eq + 1));
    }
  } else if (value && typeof value === 'object') {
    for (const [name, v] of Object.entries(value)) set(name, String(v));
  }
}
