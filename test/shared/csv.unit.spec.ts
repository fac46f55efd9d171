import { parse } from 'csv-parse/sync';
import { csvRecord, spreadsheetSafe } from '../../src/shared/csv';

describe('CSV export (RFC 4180)', () => {
  it('leaves plain fields alone and ends records with CRLF', () => {
    expect(csvRecord(['rep', 10, 0.5556, null, undefined, true])).toBe('rep,10,0.5556,,,true\r\n');
  });

  it('quotes fields holding a comma, a quote, CR or LF, doubling the quotes', () => {
    expect(csvRecord(['a,b', 'say "hi"', 'two\nlines', 'cr\r', "O'Neil; x"])).toBe(
      '"a,b","say ""hi""","two\nlines","cr\r",O\'Neil; x\r\n',
    );
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
    expect(['=HYPERLINK("x")', '+1 promo', '-5%', '-2+3', '@SUM(A1)', '\tx', 'Spring promo', '', null].map(spreadsheetSafe)).toEqual([
      '\'=HYPERLINK("x")', "'+1 promo", "'-5%", "'-2+3", "'@SUM(A1)", "'\tx", 'Spring promo', '', null,
    ]);
  });

  it('leaves phone numbers and plain numbers alone', () => {
    expect(['+14155550123', '-1.5', '42', 7, true].map(spreadsheetSafe)).toEqual(['+14155550123', '-1.5', '42', 7, true]);
  });
});
