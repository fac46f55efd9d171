import { importNumbers } from '../../../src/campaigns/import/number-import';
import { contactChunks } from '../../../src/campaigns/import/chunk';
import { summarizeImport } from '../../../src/campaigns/import/summarize';

/**
 * 100,000 lines — the default maxNumbers — in the formats people actually upload. Numbers cycle
 * through area codes 212/646/718/917 × 0000–9999 exchanges so they are unique; every 1,000th
 * line is a duplicate, every 2,500th invalid, and two numbers are on the do-not-call list.
 */
function generate(): { txt: string; csv: string; expected: { valid: number; invalid: number; duplicates: number; dnc: number } } {
  const areas = ['212', '646', '718', '917'];
  const formats = [
    (a: string, x: string, s: string) => `+1 ${a} ${x} ${s}`,
    (a: string, x: string, s: string) => `(${a}) ${x}-${s}`,
    (a: string, x: string, s: string) => `${a}.${x}.${s}`,
    (a: string, x: string, s: string) => `${a}${x}${s}`,
  ];
  const lines: string[] = [];
  let invalid = 0;
  let duplicates = 0;
  for (let i = 0; i < 100_000; i++) {
    if (i > 0 && i % 2500 === 0) {
      lines.push(`555-${String(i % 10000).padStart(4, '0')}`); // no area code
      invalid++;
    } else if (i > 0 && i % 1000 === 0) {
      lines.push(lines[i - 1]!.replace(/\D/g, '').slice(-10)); // same number, other format
      duplicates++;
    } else {
      const n = i;
      const area = areas[n % 4]!;
      const exchange = String(200 + (Math.floor(n / 4) % 700)); // 200–899: valid NANP exchanges
      const subscriber = String(Math.floor(n / 2800) % 10000).padStart(4, '0');
      lines.push(formats[n % 4]!(area, exchange, subscriber));
    }
  }
  const txt = lines.join('\r\n') + '\r\n';
  const csv = 'name,phone\n' + lines.map((l, i) => `"Lead ${i}",${l}`).join('\n') + '\n';
  return { txt, csv, expected: { valid: 100_000 - invalid - duplicates, invalid, duplicates, dnc: 0 } };
}

describe('importNumbers — 100,000 numbers', () => {
  const { txt, csv, expected } = generate();

  it('imports a 100,000-line txt file with correct counts', () => {
    const result = importNumbers(Buffer.from(txt), 'leads.txt', {
      defaultRegion: 'US',
      doNotCall: new Set(['+12122000000', '+16462000000']),
    });

    expect(result.totalLines).toBe(100_000);
    expect(result.candidates).toBe(100_000);
    expect(result.invalid).toHaveLength(expected.invalid);
    expect(result.duplicates).toHaveLength(expected.duplicates);
    expect(result.doNotCall.map((d) => d.e164)).toEqual(['+12122000000', '+16462000000']);
    expect(result.valid).toHaveLength(expected.valid - 2);
    expect(new Set(result.valid.map((v) => v.e164)).size).toBe(result.valid.length);
    expect(contactChunks(result)).toHaveLength(Math.ceil(result.valid.length / 1000));
    expect(summarizeImport(result)).toBe('99,879 valid, 39 invalid, 80 duplicates, 2 on the do-not-call list');
  });

  it('imports the same 100,000 rows as CSV', () => {
    const result = importNumbers(Buffer.from(csv), 'leads.csv', { defaultRegion: 'US' });
    expect(result.candidates).toBe(100_000);
    expect(result.valid).toHaveLength(expected.valid);
    expect(result.invalid).toHaveLength(expected.invalid);
    expect(result.duplicates).toHaveLength(expected.duplicates);
    expect(result.invalid[0]!.line).toBe(2500 + 2); // header is line 1, data row i is line i + 2
  });
});
