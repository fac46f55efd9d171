import { DomainError } from '../../../src/shared/domain-error';
import { importNumbers } from '../../../src/campaigns/import/number-import';
import { refusal, text } from './helpers';

describe('importNumbers — whole-file refusals', () => {
  it('FILE_TOO_LARGE: checked on the byte count before anything is parsed', () => {
    // Garbage that would fail every later check: proves the size check comes first.
    const bytes = Buffer.alloc(2048, 0x00);

    const err = refusal(() => importNumbers(bytes, 'numbers.txt', { maxBytes: 1024 }));

    expect(err.code).toBe('FILE_TOO_LARGE');
    expect(err.message).toBe('numbers.txt is 2 KB; the limit is 1 KB. Split it into smaller files.');
    expect(err.details).toEqual({ filename: 'numbers.txt', bytes: 2048, maxBytes: 1024 });
  });

  it('FILE_TOO_LARGE: sizes read like "7.2 MB; the limit is 5 MB" and never round down to the limit', () => {
    const big = Buffer.alloc(Math.round(7.2 * 1024 * 1024), 0x31);
    expect(refusal(() => importNumbers(big, 'numbers.txt')).message).toMatch(/^numbers\.txt is 7\.2 MB; the limit is 5 MB\./);

    const justOver = Buffer.alloc(5 * 1024 * 1024 + 1, 0x31);
    expect(refusal(() => importNumbers(justOver, 'C:\\fakepath\\numbers.txt')).message).toMatch(
      /^numbers\.txt is 5\.1 MB; the limit is 5 MB\./,
    );
  });

  it('accepts a file of exactly maxBytes', () => {
    const bytes = text('2125550100\n');
    expect(importNumbers(bytes, 'n.txt', { defaultRegion: 'US', maxBytes: bytes.length }).valid).toHaveLength(1);
  });

  it('TOO_MANY_NUMBERS: counts candidate lines (comments and blanks do not count)', () => {
    const input = '# list\n2125550100\n\n2125550101\n2125550102\n';
    expect(importNumbers(text(input), 'n.txt', { defaultRegion: 'US', maxNumbers: 3 }).valid).toHaveLength(3);

    const err = refusal(() => importNumbers(text(input + '2125550103\n'), 'n.txt', { defaultRegion: 'US', maxNumbers: 3 }));
    expect(err.code).toBe('TOO_MANY_NUMBERS');
    expect(err.message).toBe('n.txt has 4 numbers; the limit is 3 per file. Split it into smaller files.');
  });

  it('TOO_MANY_NUMBERS: counts CSV data rows, not the header', () => {
    const csv = 'phone\n2125550100\n2125550101\n';
    expect(importNumbers(text(csv), 'c.csv', { defaultRegion: 'US', maxNumbers: 2 }).valid).toHaveLength(2);
    expect(refusal(() => importNumbers(text(csv), 'c.csv', { maxNumbers: 1 })).code).toBe('TOO_MANY_NUMBERS');
  });

  it('BINARY_CONTENT: NUL bytes', () => {
    const bytes = Buffer.concat([text('2125550100\n'), Buffer.from([0x00, 0x01, 0x02]), text('2125550101\n')]);
    const err = refusal(() => importNumbers(bytes, 'numbers.txt'));
    expect(err.code).toBe('BINARY_CONTENT');
    expect(err.message).toMatch(/^numbers\.txt is not a text file/);
  });

  it('BINARY_CONTENT: a high ratio of control characters', () => {
    const bytes = Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 0x01 : 0x41)));
    expect(refusal(() => importNumbers(bytes, 'numbers.txt')).code).toBe('BINARY_CONTENT');
  });

  it('tolerates a trailing Ctrl-Z end-of-file marker', () => {
    const bytes = Buffer.concat([text('2125550100\n'), Buffer.from([0x1a])]);
    expect(importNumbers(bytes, 'n.txt', { defaultRegion: 'US' }).valid).toHaveLength(1);
  });

  it('NOT_UTF8: invalid UTF-8 bytes', () => {
    expect(refusal(() => importNumbers(Buffer.from([0xff, 0xfe, 0x41]), 'numbers.txt')).code).toBe('NOT_UTF8');
  });

  it('NOT_UTF8: a Latin-1 file names the line with the first bad character', () => {
    const latin1 = Buffer.from('phone,name\n2125550100,Jos\xe9\n', 'latin1');
    const err = refusal(() => importNumbers(latin1, 'contacts.csv'));
    expect(err.code).toBe('NOT_UTF8');
    expect(err.message).toMatch(/contacts\.csv is not UTF-8 text \(first bad character on line 2\)/);
    expect(err.details).toMatchObject({ line: 2 });
  });

  it('NOT_UTF8: a UTF-16 ("Unicode text") export is named as such rather than called binary', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('2125550100\r\n', 'utf16le')]);
    const err = refusal(() => importNumbers(utf16, 'numbers.txt'));
    expect(err.code).toBe('NOT_UTF8');
    expect(err.message).toMatch(/UTF-16/);
  });

  it.each([
    ['a zero-byte file', ''],
    ['only blank lines', '\n\n  \r\n'],
    ['only comments', '# nothing yet\n# still nothing\n'],
  ])('EMPTY_FILE: %s', (_what, content) => {
    const err = refusal(() => importNumbers(text(content), 'numbers.txt'));
    expect(err.code).toBe('EMPTY_FILE');
    expect(err.message).toMatch(/^numbers\.txt (is empty|has no phone numbers in it)\.$/);
  });

  it('EMPTY_FILE: a CSV with a header row and nothing else', () => {
    const err = refusal(() => importNumbers(text('name,phone\n'), 'contacts.csv'));
    expect(err.code).toBe('EMPTY_FILE');
    expect(err.message).toBe('contacts.csv has a header row ("phone") but no numbers.');
  });

  it('MALFORMED_CSV: an unclosed quote, reported at the line where the broken row starts', () => {
    const csv = 'name,phone\nAda,2125550100\n"Alan,2125550101\nGrace,2125550102\n';
    const err = refusal(() => importNumbers(text(csv), 'contacts.csv'));
    expect(err.code).toBe('MALFORMED_CSV');
    expect(err.details).toMatchObject({ line: 3, csvCode: 'CSV_QUOTE_NOT_CLOSED' });
    expect(err.message).toMatch(/^contacts\.csv could not be read as CSV: on line 3, a quote \("\) is opened but never closed/);
  });

  it('MALFORMED_CSV: text after a closing quote', () => {
    const err = refusal(() => importNumbers(text('name,phone\r\nAda,2125550100\r\n"Alan"x,2125550101\r\n'), 'c.csv'));
    expect(err.code).toBe('MALFORMED_CSV');
    expect(err.details).toMatchObject({ line: 3 });
  });

  it.each([
    ['contacts.xlsx', /Excel workbook/],
    ['contacts.pdf', /PDF/],
  ])('UNSUPPORTED_FORMAT: %s is refused by name with advice', (name, kind) => {
    const err = refusal(() => importNumbers(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]), name));
    expect(err.code).toBe('UNSUPPORTED_FORMAT');
    expect(err.message).toMatch(kind);
    expect(err.message).toMatch(/save it as CSV/);
  });

  it('UNSUPPORTED_FORMAT: markup with an unknown extension', () => {
    const err = refusal(() => importNumbers(text('<html><body>212 555 0100</body></html>'), 'download'));
    expect(err.code).toBe('UNSUPPORTED_FORMAT');
  });

  it('refusals are DomainErrors with name ImportError, so adapters map them like any other', () => {
    const err = refusal(() => importNumbers(text(''), 'n.txt'));
    expect(err).toBeInstanceOf(DomainError);
    expect(err.name).toBe('ImportError');
  });

  it('INVALID_OPTIONS: an unknown default region or a nonsensical limit is a configuration error', () => {
    expect(refusal(() => importNumbers(text('1'), 'n.txt', { defaultRegion: 'XX' as never })).code).toBe('INVALID_OPTIONS');
    expect(refusal(() => importNumbers(text('1'), 'n.txt', { maxBytes: 0 })).code).toBe('INVALID_OPTIONS');
    expect(refusal(() => importNumbers(text('1'), 'n.txt', { maxNumbers: 1.5 })).code).toBe('INVALID_OPTIONS');
  });

  it('treats an empty default region (unset environment variable) as none', () => {
    const r = importNumbers(text('+12125550100'), 'n.txt', { defaultRegion: '' as never });
    expect(r.valid).toHaveLength(1);
  });
});
