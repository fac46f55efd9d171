import { ParseError, parsePhoneNumberWithError, validatePhoneNumberLength } from 'libphonenumber-js';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js';
import type { InvalidNumberCode } from './import.types';

/*
 * Metadata choice: the default ('min') bundle of libphonenumber-js. Its isValid() checks the
 * number's length and the country's general number pattern (so "+1 123 555 0100", with no such
 * area code, is rejected) but not the per-type (mobile/fixed) ranges that 'max' adds. For a dialer
 * a false positive costs one failed call attempt, while a false negative from stale 'max' ranges
 * silently drops a real, newly-allocated customer number. 'min' is also the cheaper one to load.
 */

export type NormalizeResult =
  | { ok: true; e164: string }
  | { ok: false; code: InvalidNumberCode; reason: string };

/** Nothing dialable is this long; skip the parser for pasted paragraphs. */
const MAX_INPUT_LENGTH = 64;

/**
 * Zero-width characters and stray BOMs come along when numbers are copied out of web pages or
 * spreadsheets; they are invisible to the agent, so they must not make a number invalid.
 */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

/**
 * Normalises one trimmed cell to E.164. Accepts the punctuation people type (spaces, dashes,
 * dots, parentheses, slashes) and international prefixes: '+', the default region's own prefix
 * (handled by libphonenumber, e.g. 011 from the US) and '00' (handled here, see below).
 * Text around the number is NOT accepted ("call 212…" is NOT_A_NUMBER): we import what the file
 * says, not a guess.
 */
export function normalizePhone(raw: string, defaultRegion?: CountryCode): NormalizeResult {
  const input = raw.replace(INVISIBLE, '').trim();
  if (input === '') return fail('MISSING_NUMBER', 'No phone number on this line');
  if (input.length > MAX_INPUT_LENGTH) return fail('NOT_A_NUMBER', 'Too long to be a phone number');

  const asWritten = attempt(input, defaultRegion);
  // '00' is the international prefix in most of the world, but libphonenumber only honours the
  // default region's own prefix (011 for the US). Retry as '+' only when the number failed as
  // written, so regions whose prefix is e.g. 0011 (Australia) keep working.
  if (asWritten.ok || !input.startsWith('00')) return asWritten;
  return attempt(`+${input.slice(2)}`, defaultRegion);
}

function attempt(input: string, defaultRegion: CountryCode | undefined): NormalizeResult {
  let phone: PhoneNumber;
  try {
    // extract: false — the whole cell must be the number.
    phone = parsePhoneNumberWithError(input, { defaultCountry: defaultRegion, extract: false });
  } catch (err) {
    if (err instanceof ParseError) return fromParseError(err.message, input, defaultRegion);
    throw err;
  }
  if (!phone.isValid()) return notValid(phone, input, defaultRegion);
  if (phone.ext) {
    // The dialer can only dial the main number; calling a switchboard instead of the contact
    // is worse than asking the agent to fix the line.
    return fail('HAS_EXTENSION', `Has an extension (${phone.ext}); the dialer cannot dial extensions`);
  }
  return { ok: true, e164: phone.number };
}

function notValid(phone: PhoneNumber, input: string, defaultRegion: CountryCode | undefined): NormalizeResult {
  const cc = `+${phone.countryCallingCode}`;
  if (phone.isPossible()) {
    return fail('INVALID_FOR_REGION', `Not a valid ${cc} number (no such area code or number range)`);
  }
  // Only computed on this (rare) path: a second parse just to name the length problem.
  switch (validatePhoneNumberLength(input, defaultRegion)) {
    case 'TOO_SHORT':
      return fail('TOO_SHORT', `Too short for a ${cc} number`);
    case 'TOO_LONG':
      return fail('TOO_LONG', `Too long for a ${cc} number`);
    default:
      return fail('INVALID_LENGTH', `Wrong number of digits for a ${cc} number`);
  }
}

function fromParseError(message: string, input: string, defaultRegion: CountryCode | undefined): NormalizeResult {
  switch (message) {
    case 'INVALID_COUNTRY':
      if (!input.startsWith('+') && defaultRegion === undefined) {
        return fail('INVALID_COUNTRY', 'No country code (like +1), and no default country is set for this import');
      }
      return fail('INVALID_COUNTRY', 'Unknown country code');
    case 'TOO_SHORT':
    case 'TOO_SHORT_AFTER_IDD': // e.g. "011 1": an international prefix with almost nothing after it
      return fail('TOO_SHORT', 'Too short to be a phone number');
    case 'TOO_LONG':
      return fail('TOO_LONG', 'Too long to be a phone number');
    default: // NOT_A_NUMBER and anything a newer library version adds
      return fail('NOT_A_NUMBER', 'Not a phone number');
  }
}

function fail(code: InvalidNumberCode, reason: string): NormalizeResult {
  return { ok: false, code, reason };
}
