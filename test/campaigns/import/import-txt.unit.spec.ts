import { importNumbers } from '../../../src/campaigns/import/number-import';
import { fixture, text } from './helpers';

describe('importNumbers — .txt', () => {
  it('normalises mixed formats to E.164, keeping 1-based line numbers', () => {
    const result = importNumbers(fixture('mixed.txt'), 'mixed.txt', { defaultRegion: 'US' });

    expect(result.format).toBe('txt');
    expect(result.valid).toEqual([
      { line: 2, raw: '+1 212 555 0100', e164: '+12125550100' },
      { line: 3, raw: '(212) 555-0101', e164: '+12125550101' },
      { line: 4, raw: '212.555.0102', e164: '+12125550102' },
      { line: 6, raw: '212-555-0103', e164: '+12125550103' },
      { line: 7, raw: '0044 20 7946 0958', e164: '+442079460958' }, // 00 prefix from a US default
      { line: 8, raw: '+49 30 1234567', e164: '+49301234567' },
      { line: 9, raw: '011 44 20 7946 0959', e164: '+442079460959' }, // US international prefix
      { line: 10, raw: '1 (212) 555-0104', e164: '+12125550104' }, // trimmed
    ]);
    expect(result.invalid).toEqual([]);
    expect(result.duplicates).toEqual([]);
    expect(result.doNotCall).toEqual([]);
    expect(result.totalLines).toBe(10);
    expect(result.candidates).toBe(8);
  });

  it('tolerates CRLF line endings and a UTF-8 BOM without shifting line numbers', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text('+12125550100\r\n\r\n2125550101\r\n')]);

    const result = importNumbers(bytes, 'numbers.txt', { defaultRegion: 'US' });

    expect(result.valid).toEqual([
      { line: 1, raw: '+12125550100', e164: '+12125550100' },
      { line: 3, raw: '2125550101', e164: '+12125550101' },
    ]);
    expect(result.invalid).toEqual([]);
    expect(result.totalLines).toBe(3);
  });

  it('treats a lone CR (old Mac) as a line break too', () => {
    const result = importNumbers(text('2125550100\r2125550101'), 'n.txt', { defaultRegion: 'US' });
    expect(result.valid.map((v) => v.line)).toEqual([1, 2]);
  });

  it('skips blank, whitespace-only and # comment lines', () => {
    const input = ['# header comment', '', '   ', '\t', '2125550100', '  # indented comment', '2125550101'].join('\n');

    const result = importNumbers(text(input), 'n.txt', { defaultRegion: 'US' });

    expect(result.valid.map((v) => [v.line, v.e164])).toEqual([
      [5, '+12125550100'],
      [7, '+12125550101'],
    ]);
    expect(result.candidates).toBe(2);
    expect(result.totalLines).toBe(7);
  });

  it('reports invalid lines with their line number, trimmed raw text, a stable code and a reason', () => {
    const input = [
      '2125550100', // 1 valid
      'call me maybe', // 2
      '12', // 3
      '+999 123 4567', // 4 unknown country code
      '+1 123 555 0100', // 5 no such US area code
      '+1 212 555 01001', // 6 one digit too many
      '  555-0100  ', // 7 missing area code
      '212 555 0100 ext. 7', // 8
    ].join('\n');

    const result = importNumbers(text(input), 'n.txt', { defaultRegion: 'US' });

    expect(result.valid.map((v) => v.line)).toEqual([1]);
    expect(result.invalid.map(({ line, raw, code }) => ({ line, raw, code }))).toEqual([
      { line: 2, raw: 'call me maybe', code: 'NOT_A_NUMBER' },
      { line: 3, raw: '12', code: 'TOO_SHORT' },
      { line: 4, raw: '+999 123 4567', code: 'INVALID_COUNTRY' },
      { line: 5, raw: '+1 123 555 0100', code: 'INVALID_FOR_REGION' },
      { line: 6, raw: '+1 212 555 01001', code: 'TOO_LONG' },
      { line: 7, raw: '555-0100', code: 'TOO_SHORT' },
      { line: 8, raw: '212 555 0100 ext. 7', code: 'HAS_EXTENSION' },
    ]);
    for (const line of result.invalid) expect(line.reason).toMatch(/\w/);
  });

  it('truncates the reported raw text of very long lines to 64 characters', () => {
    const long = 'x'.repeat(500);
    const result = importNumbers(text(long), 'n.txt', { defaultRegion: 'US' });
    expect(result.invalid).toHaveLength(1);
    expect(result.invalid[0]!.raw).toHaveLength(64);
    expect(result.invalid[0]!.raw.endsWith('…')).toBe(true);
    expect(result.invalid[0]!.code).toBe('NOT_A_NUMBER');
  });

  it('without a default region, national numbers are INVALID_COUNTRY and international ones still import', () => {
    const result = importNumbers(text('2125550100\n+1 212 555 0101\n0044 20 7946 0958'), 'n.txt');

    expect(result.valid.map((v) => v.e164)).toEqual(['+12125550101', '+442079460958']);
    expect(result.invalid).toEqual([
      { line: 1, raw: '2125550100', code: 'INVALID_COUNTRY', reason: expect.stringMatching(/default country/) },
    ]);
  });

  it('uses the configured region for national numbers', () => {
    const result = importNumbers(text('020 7946 0958\n07911 123456'), 'n.txt', { defaultRegion: 'GB' });
    expect(result.valid.map((v) => v.e164)).toEqual(['+442079460958', '+447911123456']);
  });

  it('reports duplicates after normalisation, pointing at the first occurrence', () => {
    const input = ['+1 212 555 0100', '2125550101', '2125550100', '(212) 555-0100', '+1 (212) 555-0101'].join('\n');

    const result = importNumbers(text(input), 'n.txt', { defaultRegion: 'US' });

    expect(result.valid.map((v) => [v.line, v.e164])).toEqual([
      [1, '+12125550100'],
      [2, '+12125550101'],
    ]);
    expect(result.duplicates).toEqual([
      { line: 3, raw: '2125550100', e164: '+12125550100', firstLine: 1 },
      { line: 4, raw: '(212) 555-0100', e164: '+12125550100', firstLine: 1 },
      { line: 5, raw: '+1 (212) 555-0101', e164: '+12125550101', firstLine: 2 },
    ]);
  });

  it('moves do-not-call numbers out of valid — every occurrence, in any format', () => {
    const input = ['2125550100', '+1 212 555 0199', '212.555.0199', '2125550101'].join('\n');

    const result = importNumbers(text(input), 'n.txt', {
      defaultRegion: 'US',
      doNotCall: new Set(['+12125550199']),
    });

    expect(result.valid.map((v) => v.e164)).toEqual(['+12125550100', '+12125550101']);
    expect(result.doNotCall).toEqual([
      { line: 2, raw: '+1 212 555 0199', e164: '+12125550199' },
      { line: 3, raw: '212.555.0199', e164: '+12125550199' },
    ]);
    expect(result.duplicates).toEqual([]);
  });

  it('accounts for every candidate exactly once', () => {
    const input = ['2125550100', 'nope', '2125550100', '2125550199', ''].join('\n');
    const r = importNumbers(text(input), 'n.txt', { defaultRegion: 'US', doNotCall: new Set(['+12125550199']) });
    expect(r.valid.length + r.invalid.length + r.duplicates.length + r.doNotCall.length).toBe(r.candidates);
    expect(r.candidates).toBe(4);
  });

  it('sniffs a file without a known extension: one number per line is txt', () => {
    const result = importNumbers(text('2125550100\n2125550101\n'), 'upload', { defaultRegion: 'US' });
    expect(result.format).toBe('txt');
    expect(result.valid).toHaveLength(2);
  });
});
