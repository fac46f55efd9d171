import { createHash } from 'node:crypto';
import { OriginationError } from './origination-errors';

/**
 * Routes → weighted trunks, and the order a call tries its trunks in.
 *
 * SIREN_ROUTES format: `route=trunk:weight,trunk:weight;route=...`, e.g.
 * `main=carrierA:3,carrierB:1;red=carrierC:1`.
 * - Route and trunk names: letters, digits, `_ . -` (a trunk name goes into a dial string).
 * - `:weight` is optional (1 when left out); a whole number 0–1000. A trunk's share of first picks is
 *   weight / sum of weights. Weight 0 is a standby trunk: never picked first, tried in failover
 *   after every weighted trunk, in the order written. A route needs at least one weight > 0.
 * - Spaces around separators are ignored; a trunk may sit in several routes, but only once per route.
 */

export interface WeightedTrunk {
  readonly trunk: string;
  readonly weight: number;
}

/** Route name → its trunks in the order written. */
export type Routes = ReadonlyMap<string, readonly WeightedTrunk[]>;

export const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_WEIGHT = 1000;

/** Parses SIREN_ROUTES; throws Error with a message for the operator (the config wraps it with the variable name). */
export function parseRoutes(text: string): Routes {
  const routes = new Map<string, WeightedTrunk[]>();
  const entries = text.split(';').map((s) => s.trim()).filter((s) => s !== '');
  if (entries.length === 0) throw new Error('must name at least one route, e.g. main=trunk-main:1');
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq < 0) throw new Error(`"${printable(entry)}" is not route=trunk:weight,...`);
    const route = entry.slice(0, eq).trim();
    if (!NAME.test(route)) throw new Error(`route name "${printable(route)}" must be letters, digits, _ . - (at most 64)`);
    if (routes.has(route)) throw new Error(`route ${route} is given twice`);
    const trunks: WeightedTrunk[] = [];
    for (const item of entry.slice(eq + 1).split(',').map((s) => s.trim())) {
      const [trunk = '', weightText, extra] = item.split(':').map((s) => s.trim());
      if (extra !== undefined) throw new Error(`route ${route}: "${printable(item)}" is not trunk:weight`);
      if (!NAME.test(trunk)) throw new Error(`route ${route}: trunk name "${printable(trunk)}" must be letters, digits, _ . - (at most 64)`);
      const weight = weightText === undefined ? 1 : Number(weightText);
      if (weightText === '' || !Number.isInteger(weight) || weight < 0 || weight > MAX_WEIGHT) {
        throw new Error(`route ${route}: weight of ${trunk} must be a whole number 0–${MAX_WEIGHT}`);
      }
      if (trunks.some((t) => t.trunk === trunk)) throw new Error(`route ${route}: trunk ${trunk} is given twice`);
      trunks.push({ trunk, weight });
    }
    if (!trunks.some((t) => t.weight > 0)) throw new Error(`route ${route} needs at least one trunk with weight > 0`);
    routes.set(route, trunks);
  }
  return routes;
}

/** Every trunk some route holds. */
export function knownTrunks(routes: Routes): Set<string> {
  return new Set([...routes.values()].flatMap((trunks) => trunks.map((t) => t.trunk)));
}

export function trunksOf(route: string, routes: Routes): readonly WeightedTrunk[] {
  const trunks = routes.get(route);
  if (!trunks) throw new OriginationError('UNKNOWN_ROUTE', `route ${JSON.stringify(route)} is not configured (SIREN_ROUTES)`, { route });
  return trunks;
}

/**
 * One weighted pick among the route's trunks not in `exclude`; `rng` returns [0, 1).
 * Weighted trunks first; once they are all excluded, the standby (weight 0) trunks in the order
 * written; `undefined` when nothing is left (the call has run out of trunks).
 */
export function pickTrunk(route: string, routes: Routes, rng: () => number, exclude: Iterable<string> = []): string | undefined {
  const excluded = new Set(exclude);
  const left = trunksOf(route, routes).filter((t) => !excluded.has(t.trunk));
  const weighted = left.filter((t) => t.weight > 0);
  if (weighted.length === 0) return left[0]?.trunk;
  const total = weighted.reduce((sum, t) => sum + t.weight, 0);
  let point = rng() * total;
  for (const candidate of weighted) {
    point -= candidate.weight;
    if (point < 0) return candidate.trunk;
  }
  return weighted[weighted.length - 1]!.trunk; // rng() rounding up to 1
}

/**
 * The full failover order for one call: weighted picks without replacement, then standby trunks.
 * Deterministic in `seed` (use the call id), so after a restart the saga recomputes the same order
 * and knows which trunk comes after the one that failed.
 */
export function trunkOrder(route: string, routes: Routes, seed: string | number): string[] {
  const rng = seededRng(seed);
  const order: string[] = [];
  for (let next = pickTrunk(route, routes, rng); next !== undefined; next = pickTrunk(route, routes, rng, order)) {
    order.push(next);
  }
  return order;
}

/** mulberry32 seeded from sha256(seed): the same order on every platform and Node version. */
export function seededRng(seed: string | number): () => number {
  let state = createHash('sha256').update(String(seed)).digest().readUInt32BE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Whether a failed attempt should go to the next trunk: the carrier, not the callee, failed.
 * Q.850 causes 34 (no circuit), 38 (network out of order), 41 (temporary failure), 42 (switching
 * congestion), 47 (resource unavailable), 58 (bearer capability not available); with no cause,
 * OriginateResponse Reason 8 (congestion). Busy (17), no answer (19), invalid number (1) and
 * rejected (21) are the callee's answer: another carrier would get the same one.
 */
export function isCarrierFailure(outcome: { cause?: number; reason?: number }): boolean {
  if (outcome.cause !== undefined) return CARRIER_CAUSES.has(outcome.cause);
  return outcome.reason === 8;
}

const CARRIER_CAUSES = new Set([34, 38, 41, 42, 47, 58]);

function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?').slice(0, 40);
}
