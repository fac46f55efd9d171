import { normalizePhone } from '../../../src/campaigns/import/normalize-phone';

describe('normalizePhone', () => {
  it.each([
    ['+1 212 555 0100', '+12125550100'],
    ['2125550100', '+12125550100'],
    ['(212) 555-0100', '+12125550100'],
    ['212.555.0100', '+12125550100'],
    ['212/555-0100', '+12125550100'],
    ['1-212-555-0100', '+12125550100'],
    ['212\u00a0555\u00a00100', '+12125550100'], // non-breaking spaces from a spreadsheet
    ['\u200b2125550100', '+12125550100'], // zero-width space from a web page
    ['0044 20 7946 0958', '+442079460958'],
    ['00442079460958', '+442079460958'],
    ['011 44 20 7946 0958', '+442079460958'],
  ])('US default: %j → %s', (raw, e164) => {
    expect(normalizePhone(raw, 'US')).toEqual({ ok: true, e164 });
  });

  it("keeps a region's own international prefix working (0011 in Australia)", () => {
    expect(normalizePhone('0011 44 20 7946 0958', 'AU')).toEqual({ ok: true, e164: '+442079460958' });
    expect(normalizePhone('(02) 9876 5432', 'AU')).toEqual({ ok: true, e164: '+61298765432' });
  });

  it.each([
    ['', 'MISSING_NUMBER'],
    ['abc', 'NOT_A_NUMBER'],
    ['call 212 555 0100', 'NOT_A_NUMBER'],
    ['1-800-FLOWERS', 'NOT_A_NUMBER'],
    ['2', 'TOO_SHORT'],
    ['12', 'TOO_SHORT'],
    ['+999 1234567', 'INVALID_COUNTRY'],
    ['+1 123 555 0100', 'INVALID_FOR_REGION'],
    ['+1 212 555 01001', 'TOO_LONG'],
    ['+12125550100 x12', 'HAS_EXTENSION'],
  ])('%j → %s', (raw, code) => {
    const r = normalizePhone(raw, 'US');
    expect(r).toEqual({ ok: false, code, reason: expect.any(String) });
  });
});
