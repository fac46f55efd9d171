import { newEventId } from '../../src/eventstore/event-id';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newEventId: time-ordered ids for events without a caller-chosen id', () => {
  it('is a lower-case UUID version 7 whose first 48 bits are the time in milliseconds', () => {
    const at = Date.parse('2026-11-21T10:00:00.123Z');
    const id = newEventId(at);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(newEventId()).toMatch(UUID_V7);
  });

  it('sorts by time across milliseconds (so index inserts land at the end) and never repeats', () => {
    const start = Date.parse('2026-11-21T10:00:00.000Z');
    const ids: string[] = [];
    // More ids than one bulk draw of random bytes holds, so the refill is exercised too.
    for (let ms = 0; ms < 50; ms++) for (let k = 0; k < 200; k++) ids.push(newEventId(start + ms));
    expect(new Set(ids).size).toBe(ids.length);
    const firstOfEachMs = ids.filter((_, i) => i % 200 === 0);
    expect([...firstOfEachMs].sort()).toEqual(firstOfEachMs);
    for (let ms = 1; ms < 50; ms++) expect(ids[ms * 200] > ids[ms * 200 - 1]).toBe(true);
    // The random part varies in every position, not just a counter at the end.
    const randomParts = ids.slice(0, 200).map((id) => id.slice(15));
    for (let c = 0; c < randomParts[0].length; c++) {
      if (randomParts[0][c] === '-') continue;
      expect(new Set(randomParts.map((p) => p[c])).size).toBeGreaterThan(c === 4 ? 3 : 8);
    }
  });
});
