import { OriginationError, isCarrierFailure, parseRoutes, pickTrunk, seededRng, trunkOrder } from '../../../src/telephony/origination';

const routes = parseRoutes('main=carrierA:3,carrierB:1;red=carrierC:1;mix=a:5,b:3,c:2,standby:0');

describe('weighted trunk selection', () => {
  it('picks in proportion to the weights (10,000 seeded picks, within 2%)', () => {
    const rng = seededRng('distribution');
    const counts: Record<string, number> = {};
    for (let i = 0; i < 10_000; i++) {
      const trunk = pickTrunk('main', routes, rng)!;
      counts[trunk] = (counts[trunk] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(['carrierA', 'carrierB']);
    expect(counts.carrierA! / 10_000).toBeCloseTo(0.75, 1);
    expect(Math.abs(counts.carrierA! / 10_000 - 0.75)).toBeLessThan(0.02);
    expect(Math.abs(counts.carrierB! / 10_000 - 0.25)).toBeLessThan(0.02);
  });

  it('spreads three weights too and never picks a standby trunk first', () => {
    const rng = seededRng(7);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0, standby: 0 };
    for (let i = 0; i < 10_000; i++) counts[pickTrunk('mix', routes, rng)!]! += 1;
    expect(Math.abs(counts.a! / 10_000 - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(counts.b! / 10_000 - 0.3)).toBeLessThan(0.02);
    expect(Math.abs(counts.c! / 10_000 - 0.2)).toBeLessThan(0.02);
    expect(counts.standby).toBe(0);
  });

  it('skips excluded trunks, falls back to standby, then runs out', () => {
    const rng = () => 0.99;
    expect(pickTrunk('main', routes, rng, ['carrierB'])).toBe('carrierA');
    expect(pickTrunk('main', routes, () => 0, ['carrierA'])).toBe('carrierB');
    expect(pickTrunk('mix', routes, rng, ['a', 'b', 'c'])).toBe('standby');
    expect(pickTrunk('main', routes, rng, ['carrierA', 'carrierB'])).toBeUndefined();
  });

  it('refuses an unknown route with a typed error', () => {
    expect(() => pickTrunk('gold', routes, Math.random)).toThrow(OriginationError);
    expect(() => trunkOrder('gold', routes, 'x')).toThrow(expect.objectContaining({ code: 'UNKNOWN_ROUTE' }));
  });
});

describe('failover order', () => {
  it('holds every trunk of the route once, standby last, and ends', () => {
    const order = trunkOrder('mix', routes, 'call-1');
    expect([...order].sort()).toEqual(['a', 'b', 'c', 'standby']);
    expect(order[3]).toBe('standby');
    expect(trunkOrder('red', routes, 'call-1')).toEqual(['carrierC']);
  });

  it('is deterministic in the seed (the call id), and the seed spreads first picks by weight', () => {
    expect(trunkOrder('mix', routes, 'call-42')).toEqual(trunkOrder('mix', routes, 'call-42'));
    let firstA = 0;
    for (let i = 0; i < 2000; i++) if (trunkOrder('main', routes, `call-${i}`)[0] === 'carrierA') firstA += 1;
    expect(Math.abs(firstA / 2000 - 0.75)).toBeLessThan(0.04);
  });
});

describe('isCarrierFailure', () => {
  it.each([
    [{ cause: 34 }, true],
    [{ cause: 38 }, true],
    [{ cause: 41 }, true],
    [{ cause: 17 }, false],
    [{ cause: 19 }, false],
    [{ cause: 21, reason: 8 }, false],
    [{ reason: 8 }, true],
    [{ reason: 5 }, false],
    [{}, false],
  ])('%j → %s', (outcome, expected) => {
    expect(isCarrierFailure(outcome)).toBe(expected);
  });
});
