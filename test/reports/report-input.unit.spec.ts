import { parseReportHour, parseSummaryInput } from '../../src/reports';
import { DomainError } from '../../src/shared/domain-error';

const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a refusal');
};

describe('report summary input', () => {
  it('defaults to one row per campaign over all time', () => {
    expect(parseSummaryInput({})).toEqual({ by: 'campaign', from: undefined, to: undefined });
  });

  it.each(['campaign', 'trunk', 'agent', 'hour'])('accepts --by %s', (by) => {
    expect(parseSummaryInput({ by }).by).toBe(by);
  });

  it('refuses an unknown --by in one line naming the choices', () => {
    const error = refusal(() => parseSummaryInput({ by: 'route' }));
    expect(error.code).toBe('REPORT_BAD_INPUT');
    expect(error.message).toBe('--by route: must be one of campaign, trunk, agent, hour');
  });

  it.each([
    ['2026-11-20', '2026-11-20T00:00:00.000Z'],
    ['2026-11-20T09', '2026-11-20T09:00:00.000Z'],
    ['2026-11-20T09:00', '2026-11-20T09:00:00.000Z'],
    ['2026-11-20T09:00Z', '2026-11-20T09:00:00.000Z'],
    ['2026-11-20T09:00:00.000Z', '2026-11-20T09:00:00.000Z'],
    ['2026-11-20 09:00:00', '2026-11-20T09:00:00.000Z'],
    ['2026-11-20T11:00+02:00', '2026-11-20T09:00:00.000Z'],
    ['2026-11-20T04:00-0500', '2026-11-20T09:00:00.000Z'],
    ['2026-11-20T14:30+05:30', '2026-11-20T09:00:00.000Z'],
  ])('reads %s as %s (UTC unless an offset is given)', (raw, iso) => {
    expect(parseReportHour('--from', raw).toISOString()).toBe(iso);
  });

  it.each([
    ['yesterday', 'not an ISO-8601 date or date-time'],
    ['20/11/2026', 'not an ISO-8601 date or date-time'],
    ['2026-11-20T9:00Z', 'not an ISO-8601 date or date-time'],
    ['2026-02-30', 'no such date or time'],
    ['2026-11-20T24:00Z', 'no such date or time'],
    ['2026-11-20T09:00+24:00', 'not a UTC offset'],
    ['2026-11-20T09:30Z', 'whole UTC hour (e.g. 2026-11-20T09:00Z)'],
    ['2026-11-20T09:00+05:30', 'whole UTC hour (e.g. 2026-11-20T03:00Z)'],
  ])('refuses --from %s', (raw, why) => {
    const error = refusal(() => parseSummaryInput({ from: raw }));
    expect(error.message).toContain(`--from ${raw}: `);
    expect(error.message).toContain(why);
    expect(error.message).not.toContain('\n');
  });

  it('keeps [from, to) and refuses --from at or after --to', () => {
    const input = parseSummaryInput({ from: '2026-11-20T09:00Z', to: '2026-11-20T10:00Z', by: 'hour' });
    expect([input.from?.toISOString(), input.to?.toISOString()]).toEqual(['2026-11-20T09:00:00.000Z', '2026-11-20T10:00:00.000Z']);
    expect(refusal(() => parseSummaryInput({ from: '2026-11-21', to: '2026-11-20' })).message).toBe(
      '--from 2026-11-21 must be before --to 2026-11-20 (the interval is [from, to))',
    );
    expect(refusal(() => parseSummaryInput({ from: '2026-11-20T10:00Z', to: '2026-11-20T12:00+02:00' })).message).toContain('must be before');
  });
});
