import { importNumbers } from '../../../src/campaigns/import/number-import';
import { fixture, text } from './helpers';

describe('importNumbers — .csv', () => {
  it('reads the "phone" column (any case) even when it is not first, with quoted fields', () => {
    const result = importNumbers(fixture('contacts.csv'), 'contacts.csv', { defaultRegion: 'US' });

    expect(result.format).toBe('csv');
    expect(result.column).toEqual({ index: 2, header: 'Phone', delimiter: ',' });
    expect(result.valid).toEqual([
      { line: 2, raw: '+1 212 555 0100', e164: '+12125550100' },
      { line: 3, raw: '(212) 555-0101', e164: '+12125550101' },
    ]);
    expect(result.invalid).toEqual([
      { line: 4, raw: 'not given', code: 'NOT_A_NUMBER', reason: expect.any(String) },
    ]);
    expect(result.duplicates).toEqual([{ line: 5, raw: '212-555-0100', e164: '+12125550100', firstLine: 2 }]);
    expect(result.totalLines).toBe(5);
  });

  it.each([
    ['phone_number', 'Phone Number'],
    ['number', 'NUMBER'],
    ['msisdn', 'msisdn'],
  ])('accepts a %s column', (_name, header) => {
    const result = importNumbers(text(`id,${header}\n1,+12125550100\n`), 'c.csv');
    expect(result.column?.index).toBe(1);
    expect(result.valid.map((v) => v.e164)).toEqual(['+12125550100']);
  });

  it('uses the first column when no column is named like a phone column', () => {
    const result = importNumbers(text('contact,name\n2125550100,Ada\n2125550101,Alan\n'), 'c.csv', { defaultRegion: 'US' });

    expect(result.column).toEqual({ index: 0, header: 'contact', delimiter: ',' });
    expect(result.valid.map((v) => [v.line, v.e164])).toEqual([
      [2, '+12125550100'],
      [3, '+12125550101'],
    ]);
    expect(result.invalid).toEqual([]);
  });

  it('keeps the first row when it is already a number (no header row)', () => {
    const result = importNumbers(text('+1 212 555 0100,Ada\n2125550101,Alan\n'), 'c.csv', { defaultRegion: 'US' });
    expect(result.column).toEqual({ index: 0, header: null, delimiter: ',' });
    expect(result.valid.map((v) => v.line)).toEqual([1, 2]);
  });

  it('detects semicolon delimiters (quoted values may contain semicolons)', () => {
    const result = importNumbers(fixture('semicolon.csv'), 'semicolon.csv', { defaultRegion: 'DE' });

    expect(result.column).toEqual({ index: 1, header: 'Phone', delimiter: ';' });
    expect(result.valid).toEqual([
      { line: 2, raw: '030 1234567', e164: '+49301234567' },
      { line: 3, raw: '+49 30 7654321', e164: '+49307654321' },
    ]);
    expect(result.invalid).toEqual([]);
  });

  it('detects tab delimiters', () => {
    const result = importNumbers(text('name\tphone\tcity\nAda\t2125550100\t\n'), 'export.csv', { defaultRegion: 'US' });
    expect(result.column?.delimiter).toBe('\t');
    expect(result.valid.map((v) => v.e164)).toEqual(['+12125550100']);
  });

  it('numbers rows by the line they start on, across quoted multi-line fields, CRLF and a BOM', () => {
    const csv = '\uFEFFname,phone,notes\r\n"Ada",2125550100,"line one\r\nline two"\r\n\r\n# comment\r\nAlan,nope,\r\n';

    const result = importNumbers(text(csv), 'c.csv', { defaultRegion: 'US' });

    expect(result.valid).toEqual([{ line: 2, raw: '2125550100', e164: '+12125550100' }]);
    expect(result.invalid.map((i) => [i.line, i.raw])).toEqual([[6, 'nope']]);
    expect(result.totalLines).toBe(6);
  });

  it('reports a row with an empty phone cell as MISSING_NUMBER and ignores fully empty rows', () => {
    const result = importNumbers(text('name,phone\nAda,\nAlan\n,\nGrace,2125550100\n'), 'c.csv', { defaultRegion: 'US' });

    expect(result.invalid.map((i) => [i.line, i.code])).toEqual([
      [2, 'MISSING_NUMBER'],
      [3, 'MISSING_NUMBER'],
    ]);
    expect(result.valid.map((v) => v.line)).toEqual([5]);
  });

  it('keeps "#" inside a field as data', () => {
    const result = importNumbers(text('phone,address\n2125550100,Apt #4\n'), 'c.csv', { defaultRegion: 'US' });
    expect(result.valid).toHaveLength(1);
  });

  it('sniffs CSV content when the extension is missing', () => {
    const result = importNumbers(text('name,phone\nAda,2125550100\n'), 'download', { defaultRegion: 'US' });
    expect(result.format).toBe('csv');
    expect(result.valid.map((v) => v.e164)).toEqual(['+12125550100']);
  });

  it('sniffs a one-column CSV by its phone header', () => {
    const result = importNumbers(text('Phone\n2125550100\n'), 'upload.dat', { defaultRegion: 'US' });
    expect(result.format).toBe('csv');
    expect(result.invalid).toEqual([]);
    expect(result.valid.map((v) => v.line)).toEqual([2]);
  });
});
