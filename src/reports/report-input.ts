import { DomainError } from '../shared/domain-error';

/** What `report summary` has one row per. */
export const SUMMARY_DIMENSIONS = ['campaign', 'trunk', 'agent', 'hour'] as const;
export type SummaryDimension = (typeof SUMMARY_DIMENSIONS)[number];

export type ReportFormat = 'table' | 'csv' | 'json';

export interface SummaryInput {
  by: SummaryDimension;
  /** Inclusive start of the interval (a whole UTC hour), or open. */
  from?: Date;
  /** Exclusive end of the interval (a whole UTC hour), or open. */
  to?: Date;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const HOUR_MS = 3_600_000;

/**
 * Parses and checks the summary's flags before anything is opened. Every refusal is a
 * DomainError with one line naming the flag. --from/--to are ISO-8601 dates or date-times, UTC
 * unless they carry an offset; they must fall on a whole UTC hour because the read model counts
 * calls per UTC hour of request (a cut inside an hour could not be honoured, only rounded).
 */
export function parseSummaryInput(flags: { by?: string; from?: string; to?: string }): SummaryInput {
  const by = flags.by ?? 'campaign';
  if (!(SUMMARY_DIMENSIONS as readonly string[]).includes(by)) {
    throw new DomainError('REPORT_BAD_INPUT', `--by ${by}: must be one of ${SUMMARY_DIMENSIONS.join(', ')}`);
  }
  const from = flags.from === undefined ? undefined : parseReportHour('--from', flags.from);
  const to = flags.to === undefined ? undefined : parseReportHour('--to', flags.to);
  if (from && to && from.getTime() >= to.getTime()) {
    throw new DomainError('REPORT_BAD_INPUT', `--from ${flags.from} must be before --to ${flags.to} (the interval is [from, to))`);
  }
  return { by: by as SummaryDimension, from, to };
}

/** An ISO-8601 date or date-time on a whole UTC hour, e.g. 2026-11-20, 2026-11-20T09:00Z, 2026-11-20T11:00+02:00. */
export function parseReportHour(flag: string, raw: string): Date {
  const value = raw.trim();
  const m = ISO.exec(value);
  const bad = (why: string) => new DomainError('REPORT_BAD_INPUT', `${flag} ${raw}: ${why}`);
  if (!m) throw bad('not an ISO-8601 date or date-time (e.g. 2026-11-20 or 2026-11-20T09:00Z)');
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const fields = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)];
  // Date.UTC rolls 2026-02-30 over into March: rebuild the fields to refuse impossible dates.
  const local = new Date(Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5]));
  const back = [local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds()];
  if (back.some((v, i) => v !== fields[i])) throw bad('no such date or time');
  const offset = offsetMinutes(zone);
  if (offset === null) throw bad(`${zone}: not a UTC offset (±HH:MM)`);
  const at = new Date(local.getTime() - offset * 60_000 + Math.round(Number(`0${frac}`) * 1000));
  if (at.getTime() % HOUR_MS !== 0) {
    const floor = new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS).toISOString().slice(0, 13);
    throw bad(`calls are counted per UTC hour, so the time must be a whole UTC hour (e.g. ${floor}:00Z)`);
  }
  return at;
}

function offsetMinutes(zone: string): number | null {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const [hours, minutes] = [Number(digits.slice(0, 2)), Number(digits.slice(2))];
  if (hours > 23 || minutes > 59) return null;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}
