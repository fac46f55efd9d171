import { parse } from 'csv-parse/sync';
import { csvField, csvRecord, spreadsheetSafe } from '../../src/reports';

describe('RFC 4180 CSV writer', () => {
  it('leaves plain fields alone and ends records with CRLF', () => {
    expect(csvRecord(['rep', 10, 0.5556, null, undefined, true])).toBe('rep,10,0.5556,,,true\r\n');
  });

  it('quotes fields holding a comma, a quote, CR or LF, doubling the quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField("O'Neil; x")).toBe("O'Neil; x");
  });

  it('round-trips through a CSV parser', () => {
    const rows = [
      ['id', 'name', 'n'],
      ['c,1', 'Spring "promo"\r\nday 2', '3'],
      ['', ' padded ', '-1.5'],
    ];
    const text = rows.map((r) => csvRecord(r)).join('');
    expect(parse(text, { relax_column_count: false })).toEqual(rows);
  });

  it('defuses free text a spreadsheet would run as a formula', () => {
    expect(['=HYPERLINK("x")', '+1 promo', '-5%', '@SUM(A1)', '\tx', 'Spring promo', '', null].map(spreadsheetSafe)).toEqual([
      '\'=HYPERLINK("x")', "'+1 promo", "'-5%", "'@SUM(A1)", "'\tx", 'Spring promo', '', null,
    ]);
  });
});
