import type { Random } from './prng';

/** How a simulated call ends; the names are Siren's dispositions so counts compare one to one. */
export const OUTCOMES = [
  'answered',
  'machine',
  'busy',
  'no-answer',
  'congestion',
  'failed',
  'carrier-failure',
  'invalid-number',
  'unreachable',
  'rejected',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** What the far end does: the outcome, and for an answered human the key pressed, if any. */
export interface Scenario {
  outcome: Outcome;
  digit?: string;
}

/**
 * `'last-digit'`: the dialed number's last digit picks the scenario, so a test chooses an outcome
 * by choosing a number:
 *
 * | digit | scenario                     | digit | scenario                        |
 * |-------|------------------------------|-------|---------------------------------|
 * | 0     | answered, presses 1          | 5     | failed (no channel, Reason 0)   |
 * | 1     | answered, presses nothing    | 6     | answering machine (AMD MACHINE) |
 * | 2     | busy (17)                    | 7     | carrier failure (38)            |
 * | 3     | no answer (19, after timeout)| 8     | answered, presses 2             |
 * | 4     | congestion (34)              | 9     | invalid number (1)              |
 *
 * A number without digits is answered without a press.
 */
export const LAST_DIGIT_SCENARIOS: Readonly<Record<string, Scenario>> = {
  '0': { outcome: 'answered', digit: '1' },
  '1': { outcome: 'answered' },
  '2': { outcome: 'busy' },
  '3': { outcome: 'no-answer' },
  '4': { outcome: 'congestion' },
  '5': { outcome: 'failed' },
  '6': { outcome: 'machine' },
  '7': { outcome: 'carrier-failure' },
  '8': { outcome: 'answered', digit: '2' },
  '9': { outcome: 'invalid-number' },
};

export function scenarioForNumber(number: string): Scenario {
  const digits = number.replace(/\D/g, '');
  return LAST_DIGIT_SCENARIOS[digits.slice(-1)] ?? { outcome: 'answered' };
}

/**
 * A seeded mix, in percent. The far-end weights (answer … rejected) are relative and need not sum
 * to 100; `pressedOne` and `machine` are shares of the answered calls (together at most 100).
 */
export interface OutcomeMix {
  answer: number;
  busy?: number;
  noAnswer?: number;
  congestion?: number;
  failed?: number;
  carrierFailure?: number;
  invalidNumber?: number;
  unreachable?: number;
  rejected?: number;
  pressedOne?: number;
  machine?: number;
  /** Share of AMD verdicts on answered humans that come back NOTSURE. */
  amdNotSure?: number;
}

export function validateMix(mix: OutcomeMix): void {
  const weights = Object.entries(mix);
  if (weights.some(([, value]) => typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
    throw new RangeError('every outcome mix percentage must be a number ≥ 0');
  }
  if ((mix.pressedOne ?? 0) + (mix.machine ?? 0) > 100) {
    throw new RangeError('pressedOne + machine are shares of answered calls and must not exceed 100');
  }
  if (farEndWeights(mix).every(([, weight]) => weight === 0)) throw new RangeError('the outcome mix is all zero');
}

function farEndWeights(mix: OutcomeMix): Array<[Outcome, number]> {
  return [
    ['answered', mix.answer],
    ['busy', mix.busy ?? 0],
    ['no-answer', mix.noAnswer ?? 0],
    ['congestion', mix.congestion ?? 0],
    ['failed', mix.failed ?? 0],
    ['carrier-failure', mix.carrierFailure ?? 0],
    ['invalid-number', mix.invalidNumber ?? 0],
    ['unreachable', mix.unreachable ?? 0],
    ['rejected', mix.rejected ?? 0],
  ];
}

/** Always draws exactly two numbers, so one call's scenario never shifts the next call's draws. */
export function scenarioFromMix(mix: OutcomeMix, random: Random): Scenario {
  const weights = farEndWeights(mix);
  const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
  let pick = random.next() * total;
  let outcome: Outcome = 'answered';
  for (const [candidate, weight] of weights) {
    if (pick < weight) {
      outcome = candidate;
      break;
    }
    pick -= weight;
  }
  const share = random.next() * 100;
  if (outcome !== 'answered') return { outcome };
  if (share < (mix.machine ?? 0)) return { outcome: 'machine' };
  if (share < (mix.machine ?? 0) + (mix.pressedOne ?? 0)) return { outcome: 'answered', digit: '1' };
  return { outcome: 'answered' };
}
