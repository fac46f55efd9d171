import { planCall } from '../../../src/telephony/simulator/call-plan';
import { originateReasonForCause } from '../../../src/telephony/simulator/hangup-causes';
import { scenarioForNumber, scenarioFromMix } from '../../../src/telephony/simulator/outcome';
import { mulberry32 } from '../../../src/telephony/simulator/prng';

describe('outcome selection', () => {
  it('picks the scenario by the last digit', () => {
    expect(scenarioForNumber('+1 555 0100')).toEqual({ outcome: 'answered', digit: '1' });
    expect(scenarioForNumber('15550102')).toEqual({ outcome: 'busy' });
    expect(scenarioForNumber('15550109')).toEqual({ outcome: 'invalid-number' });
  });

  it('replays the same scenarios for the same seed', () => {
    const mix = { answer: 50, busy: 20, noAnswer: 20, congestion: 5, failed: 5, pressedOne: 30, machine: 10 };
    const run = (seed: number) => {
      const random = mulberry32(seed);
      return Array.from({ length: 200 }, () => scenarioFromMix(mix, random));
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });

  it('maps causes to the OriginateResponse Reason as Asterisk does', () => {
    expect([16, 17, 19, 34, 38, 1, 20, 21].map(originateReasonForCause)).toEqual([0, 5, 3, 8, 8, 0, 0, 8]);
  });

  it('lets no-answer ring for the whole Originate timeout, and answered calls pick up before it', () => {
    const base = { originateTimeoutMs: 20_000, amdRequested: false, amdNotSurePercent: 0, responseOrder: 'seeded' as const };
    expect(planCall({ ...base, scenario: { outcome: 'no-answer' } }, mulberry32(1)).dialMs).toBe(20_000);
    for (let seed = 0; seed < 50; seed++) {
      expect(planCall({ ...base, scenario: { outcome: 'answered' } }, mulberry32(seed)).dialMs).toBeLessThan(20_000);
    }
  });
});
