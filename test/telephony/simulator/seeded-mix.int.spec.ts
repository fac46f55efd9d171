import { type AmiHeader, serializeAmiMessage } from '../../../src/telephony/simulator/ami-frame';
import { type OutcomeMix, startPbxSimulator } from '../../../src/telephony/simulator';
import { AmiTestClient } from './ami-test-client';

const MIX: OutcomeMix = { answer: 50, busy: 15, noAnswer: 20, congestion: 10, failed: 5, pressedOne: 30, machine: 10 };

/** Sends `count` Originates in one write and waits until every call has finished. */
async function runCampaign(seed: number, count: number) {
  const pbx = await startPbxSimulator({ seed, timeScale: 100_000, outcomes: MIX });
  const client = await AmiTestClient.loggedIn(pbx.port);
  let wire = '';
  for (let i = 0; i < count; i++) {
    const fields: AmiHeader[] = [
      ['Action', 'Originate'], ['ActionID', `o-${i}`], ['Channel', `PJSIP/1555${String(i).padStart(6, '0')}@trunk`],
      ['Context', 'siren-autodial'], ['Exten', 's'], ['Priority', '1'], ['Async', 'true'], ['Variable', `__SIREN_CALL_ID=c-${i}`],
    ];
    wire += serializeAmiMessage(fields);
  }
  client.socket.write(wire);
  await client.until(() => pbx.log.length === count && pbx.stats().liveChannels === 0, 'all calls to finish', 20_000);
  const stats = pbx.stats();
  const outcomes = pbx.log.map((entry) => `${entry.outcome}${entry.digit ?? ''}`);
  client.close();
  await pbx.close();
  return { stats, outcomes };
}

describe('PBX simulator: seeded outcome mix', () => {
  it('replays the same outcomes for the same seed and sequence of Originates', async () => {
    const first = await runCampaign(2024, 200);
    const second = await runCampaign(2024, 200);
    const other = await runCampaign(2025, 200);
    expect(second.outcomes).toEqual(first.outcomes);
    expect(other.outcomes).not.toEqual(first.outcomes);
  });

  it('roughly matches the configured percentages over 1,000 Originates', async () => {
    const { stats } = await runCampaign(99, 1000);
    const share = (n: number) => (n / 1000) * 100;
    const answeredAll = stats.byOutcome.answered + stats.byOutcome.machine;
    expect(share(answeredAll)).toBeCloseTo(50, -1); // within ±5 points
    expect(Math.abs(share(stats.byOutcome.busy) - 15)).toBeLessThan(4);
    expect(Math.abs(share(stats.byOutcome['no-answer']) - 20)).toBeLessThan(4);
    expect(Math.abs(share(stats.byOutcome.congestion) - 10)).toBeLessThan(3);
    expect(Math.abs(share(stats.byOutcome.failed) - 5)).toBeLessThan(3);
    expect(Math.abs((stats.pressedOne / answeredAll) * 100 - 30)).toBeLessThan(6);
    expect(Math.abs((stats.byOutcome.machine / answeredAll) * 100 - 10)).toBeLessThan(5);
    expect(stats.originated).toBe(1000);
    expect(stats.duplicateCallIds).toEqual([]);
  });
});
