import { parseAsOf, phoneForHistory } from '../../src/audit/history';
import { describeEvent } from '../../src/audit/history/describe-event';

describe('--as-of', () => {
  it.each([
    ['2025-03-03T09:00:20Z', '2025-03-03T09:00:20.000Z'],
    ['2025-03-03T09:00:20.123Z', '2025-03-03T09:00:20.123Z'],
    ['2025-03-03T10:00:20+01:00', '2025-03-03T09:00:20.000Z'],
    ['2025-03-03T09:00Z', '2025-03-03T09:00:00.000Z'],
  ])('accepts %s', (raw, iso) => {
    expect(parseAsOf(raw).toISOString()).toBe(iso);
  });

  it.each(['yesterday', '2025-03-03', '2025-03-03T09:00:20', '2025-02-30T09:00:00Z', '2025-13-01T09:00:00Z', '1741000000', ''])(
    'refuses %p with one line naming the flag',
    (raw) => {
      expect(() => parseAsOf(raw)).toThrow(expect.objectContaining({ code: 'INVALID_AS_OF' }));
      expect(() => parseAsOf(raw)).toThrow(/^--as-of must be an ISO-8601 time with a zone, e\.g\. .* \(got ".*"\)$/);
    },
  );
});

describe('the number an auditor types', () => {
  it('keeps an E.164 number as stored, even in fictional ranges, ignoring spaces and dashes', () => {
    expect(phoneForHistory('+15555550100', 'US')).toBe('+15555550100');
    expect(phoneForHistory(' +1 415-555-0123 ', 'US')).toBe('+14155550123');
  });

  it('normalises a national number with the default region, as an upload would', () => {
    expect(phoneForHistory('(415) 555-0123', 'US')).toBe('+14155550123');
    expect(phoneForHistory('020 7946 0018', 'GB')).toBe('+442079460018');
    expect(phoneForHistory('0044 20 7946 0018', 'US')).toBe('+442079460018');
  });

  it('refuses what is not a phone number, saying why', () => {
    expect(() => phoneForHistory('call me', 'US')).toThrow('"call me" is not a phone number: Not a phone number');
    expect(() => phoneForHistory('12', 'US')).toThrow(expect.objectContaining({ code: 'INVALID_PHONE' }));
    expect(() => phoneForHistory('020 7946 0018', 'XX')).toThrow(expect.objectContaining({ code: 'INVALID_REGION' }));
  });
});

describe('event summaries', () => {
  it('show data of unknown event types as compact JSON, cut short', () => {
    expect(describeEvent('SomethingNew', { a: 1 })).toBe('{"a":1}');
    expect(describeEvent('SomethingNew', { a: 'x'.repeat(500) })).toHaveLength(200);
  });

  it('never fail on data missing fields', () => {
    expect(describeEvent('CallRequested', {})).toBe('attempt ? to ?, ? for agent ?');
    expect(describeEvent('CallHungUp', null)).toBe('null');
  });
});
