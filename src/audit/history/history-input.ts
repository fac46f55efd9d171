import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { normalizePhone } from '../../campaigns/import/normalize-phone';
import { DomainError } from '../../shared/domain-error';
import { E164 } from '../../shared/validation';

/** A full date and time with an explicit zone: an audit instant must not depend on the machine's zone. */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** Parses `--as-of`; refuses anything but an unambiguous ISO-8601 instant. */
export function parseAsOf(raw: string): Date {
  const match = ISO_INSTANT.exec(raw.trim());
  const ms = match ? Date.parse(raw.trim()) : Number.NaN;
  // Date.parse rolls 2025-02-30 over to March 2; an auditor who typed it made a mistake.
  if (!match || Number.isNaN(ms) || Number(match[3]) > daysInMonth(Number(match[1]), Number(match[2]))) {
    throw new DomainError(
      'INVALID_AS_OF',
      `--as-of must be an ISO-8601 time with a zone, e.g. 2025-03-01T09:30:00Z or 2025-03-01T10:30:00+01:00 (got "${raw}")`,
      { asOf: raw },
    );
  }
  return new Date(ms);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The punctuation people type inside a number; removed before the E.164 shape check. */
const PUNCTUATION = /[\s\-.()/]/g;

/**
 * The E.164 form of the number an auditor typed. Calls store numbers that passed the commands'
 * E.164 *shape* check (which admits the fictional ranges tests and the simulator dial), so a
 * number already written in that shape is taken as is; anything else is normalised the way an
 * upload is, with the configured default region.
 */
export function phoneForHistory(raw: string, defaultRegion: string): string {
  const compact = raw.trim().replace(PUNCTUATION, '');
  if (E164.test(compact)) return compact;
  if (!isSupportedCountry(defaultRegion)) {
    throw new DomainError('INVALID_REGION', `unknown region "${defaultRegion}" for "${raw}" (use a two-letter code such as US or GB)`, {
      region: defaultRegion,
    });
  }
  const result = normalizePhone(raw, defaultRegion as CountryCode);
  if (result.ok) return result.e164;
  throw new DomainError('INVALID_PHONE', `"${raw}" is not a phone number: ${result.reason}`, { phone: raw, code: result.code });
}
