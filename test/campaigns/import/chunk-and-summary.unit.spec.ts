import { chunk, contactChunks, MAX_CONTACTS_PER_EVENT } from '../../../src/campaigns/import/chunk';
import { summarizeImport } from '../../../src/campaigns/import/summarize';
import type { ImportResult } from '../../../src/campaigns/import/import.types';

const many = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

describe('chunk / contactChunks', () => {
  it('splits into slices of at most the size, in order, defaulting to 1,000', () => {
    expect(MAX_CONTACTS_PER_EVENT).toBe(1000);
    const items = many(2500, (i) => i);
    const chunks = chunk(items);
    expect(chunks.map((c) => c.length)).toEqual([1000, 1000, 500]);
    expect(chunks.flat()).toEqual(items);
  });

  it('returns no chunks for no items, and one for exactly one full chunk', () => {
    expect(chunk([])).toEqual([]);
    expect(chunk(many(1000, (i) => i))).toHaveLength(1);
    expect(chunk([1, 2, 3], 2)).toEqual([[1, 2], [3]]);
  });

  it('rejects a non-positive or fractional size', () => {
    expect(() => chunk([1], 0)).toThrow(RangeError);
    expect(() => chunk([1], 1.5)).toThrow(RangeError);
  });

  it('chunks the valid contacts of a result', () => {
    const valid = many(1001, (i) => ({ line: i + 1, raw: `${i}`, e164: `+1212555${String(i).padStart(4, '0')}` }));
    const chunks = contactChunks({ valid });
    expect(chunks.map((c) => c.length)).toEqual([1000, 1]);
    expect(chunks[1]![0]!.line).toBe(1001);
  });
});

describe('summarizeImport', () => {
  const result = (valid: number, invalid: number, duplicates: number, dnc: number): ImportResult => ({
    format: 'txt',
    valid: many(valid, (i) => ({ line: i, raw: '', e164: '' })),
    invalid: many(invalid, (i) => ({ line: i, raw: '', code: 'NOT_A_NUMBER' as const, reason: '' })),
    duplicates: many(duplicates, (i) => ({ line: i, raw: '', e164: '', firstLine: 0 })),
    doNotCall: many(dnc, (i) => ({ line: i, raw: '', e164: '' })),
    totalLines: 0,
    candidates: 0,
  });

  it('reads as one line with thousands separators', () => {
    expect(summarizeImport(result(9874, 12, 3, 2))).toBe('9,874 valid, 12 invalid, 3 duplicates, 2 on the do-not-call list');
  });

  it('leaves out empty categories and uses the singular', () => {
    expect(summarizeImport(result(5, 0, 1, 0))).toBe('5 valid, 1 duplicate');
    expect(summarizeImport(result(0, 3, 0, 0))).toBe('0 valid, 3 invalid');
  });
});
