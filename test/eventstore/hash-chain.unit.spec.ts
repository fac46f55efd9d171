import {
  canonicalJson,
  canonicalJsonOf,
  ChainLink,
  eventHash,
  eventHashOfCanonical,
  findChainBreak,
} from '../../src/eventstore/hash-chain';

function chain(count: number): ChainLink[] {
  const links: ChainLink[] = [];
  let prevHash = '';
  for (let revision = 0; revision < count; revision++) {
    const base = {
      revision,
      type: 'DtmfPressed',
      schemaVersion: 1,
      data: { digit: String(revision % 10), nested: { b: 2, a: 1 } },
      metadata: { occurredAt: `2026-11-21T10:00:0${revision}Z`, actor: 'system:saga', prevHash, hash: '' },
    };
    base.metadata.hash = eventHash(base);
    prevHash = base.metadata.hash;
    links.push(base);
  }
  return links;
}

describe('hash chain', () => {
  it('accepts an intact chain', () => {
    expect(findChainBreak(chain(5))).toBeNull();
  });

  it('does not depend on object key order (jsonb reorders keys)', () => {
    const links = chain(2);
    links[1].data = { nested: { a: 1, b: 2 }, digit: '1' };
    expect(findChainBreak(links)).toBeNull();
  });

  it('finds altered data at its revision', () => {
    const links = chain(5);
    (links[3].data as { digit: string }).digit = '9';
    expect(findChainBreak(links)).toMatchObject({ revision: 3, reason: 'hash-mismatch' });
  });

  it('finds altered metadata (e.g. a rewritten actor)', () => {
    const links = chain(3);
    links[1].metadata.actor = 'agent:mallory';
    expect(findChainBreak(links)).toMatchObject({ revision: 1, reason: 'hash-mismatch' });
  });

  it('finds a removed event', () => {
    const links = chain(5);
    links.splice(2, 1);
    expect(findChainBreak(links)).toMatchObject({ revision: 2, reason: 'revision-gap' });
  });

  it('finds a removed event even when later revisions are renumbered', () => {
    const links = chain(5);
    links.splice(2, 1);
    links.forEach((l, i) => (l.revision = i));
    // Renumbering changes the hashed revision and breaks the prev-hash link.
    expect(findChainBreak(links)?.revision).toBe(2);
  });

  it('finds reordered events', () => {
    const links = chain(4);
    [links[1], links[2]] = [links[2], links[1]];
    expect(findChainBreak(links)).toMatchObject({ revision: 1 });
  });

  it('finds a forged event whose own hash is recomputed but whose link is not', () => {
    const links = chain(3);
    links[1].data = { digit: '7' };
    links[1].metadata.hash = eventHash(links[1]);
    expect(findChainBreak(links)).toMatchObject({ revision: 2, reason: 'prev-hash-mismatch' });
  });
});

describe('canonicalJson', () => {
  it('equals JSON.stringify of a key-sorted copy, whatever the nesting', () => {
    const value = { b: [3, { z: 1, a: null }, 'x"y'], a: { d: true, c: 1.5, e: undefined }, u: undefined };
    expect(canonicalJson(value)).toBe('{"a":{"c":1.5,"d":true},"b":[3,{"a":null,"z":1},"x\\"y"]}');
    expect(canonicalJson({ y: 1, x: 2 })).toBe(canonicalJson({ x: 2, y: 1 }));
  });

  it('writes undefined array members as null, as JSON.stringify does', () => {
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
  });
});

describe('canonicalJsonOf: canonicalJson of what a JSON round trip makes of a value', () => {
  class Money {
    constructor(readonly amount: number, readonly currency: string) {}
  }
  const samples: unknown[] = [
    { phone: '+4930123', attempt: 2, outcome: 'no-answer', nested: { z: [1, 'two', null, true], a: -0 } },
    { b: undefined, a: [undefined, () => 1, Symbol('s')], c: () => 1, d: NaN, e: Infinity, f: 1e21, g: 0.1 },
    { at: new Date('2026-11-21T10:00:00.000Z'), money: new Money(5, 'EUR'), json: { toJSON: () => 'x' } },
    { 10: 'ten', 9: 'nine', b: 1, a: 2, '1a': 3, '': 4 },
    { 'quote"key': 'back\\slash', unicode: 'ä\u2028😀\ud800', ['__proto__']: 1 },
    Object.assign(Object.create(null), { y: 1, x: [{ q: 1, p: 2 }] }),
    [3, [2, [1]], { b: { b: { b: {} } } }],
    'text',
    42,
    null,
    false,
  ];

  it.each(samples.map((v, i) => [i, v]))('sample %i', (_, value) => {
    expect(canonicalJsonOf(value)).toBe(canonicalJson(JSON.parse(JSON.stringify(value))));
  });

  it('throws as JSON does on what JSON cannot hold', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => canonicalJsonOf(circular)).toThrow(TypeError);
    expect(() => canonicalJsonOf({ n: 1n })).toThrow(TypeError);
  });
});

describe('eventHashOfCanonical', () => {
  it('equals eventHash, the definition verification uses', () => {
    const data = { digit: '7', nested: { b: 2, a: [1, { y: 1, x: 2 }] } };
    const metadata = { occurredAt: '2026-11-21T10:00:00.000Z', actor: 'agent:1', prevHash: 'ab', extra: { k: 'v' } };
    expect(eventHashOfCanonical(canonicalJsonOf(data), canonicalJsonOf(metadata), 4, 2, 'Dtmf"Pressed')).toBe(
      eventHash({ type: 'Dtmf"Pressed', schemaVersion: 2, data, metadata: { ...metadata, hash: 'ignored' }, revision: 4 }),
    );
  });
});
