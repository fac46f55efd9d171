import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallHungUp, CallRequested } from '../../../src/calls/call.events';
import type { Disposition } from '../../../src/calls/disposition';
import type { RetryPolicy } from '../../../src/calls/retry-policy';
import type { Contact } from '../../../src/campaigns/campaign.events';
import type { RecordedEvent } from '../../../src/eventstore/event-store.port';
import { openPgliteEventStore } from '../../../src/eventstore/postgres';
import { foldDialer } from '../../../src/telephony/saga';
import { DEFAULT_CHANNEL_VARS, type PbxSimulator, startPbxSimulator } from '../../../src/telephony/simulator';
import { type Exit, SirenProcess } from '../../support/siren-process';
import { seedRunningCampaign } from './seed-running-campaign';

const CAMPAIGN = 'campaign-kill9';
/** Retries a second apart (real time: `siren start` runs on the system clock). */
const POLICY: RetryPolicy = { maxAttempts: 3, retryDelaySeconds: 1, retryOn: ['busy', 'no-answer', 'congestion', 'carrier-failure', 'unreachable'] };
const contacts: Contact[] = Array.from({ length: 120 }, (_, i) => ({ contactId: `contact-${i + 1}`, phone: `+1202555${String(3000 + i)}` }));
/** What the simulator plays for each last digit ('last-digit' outcomes), as Siren records it. */
const DISPOSITION_BY_DIGIT: Readonly<Record<string, Disposition>> = {
  '0': 'answered', '1': 'answered', '2': 'busy', '3': 'no-answer', '4': 'congestion',
  '5': 'originate-failed', '6': 'machine', '7': 'carrier-failure', '8': 'answered', '9': 'invalid-number',
};
const expectedDisposition = (phone: string): Disposition => DISPOSITION_BY_DIGIT[phone.slice(-1)]!;
/** Killed once the PBX has seen this many Originates: well inside the ~200 the campaign takes. */
const KILL_AFTER_ORIGINATES = 40;

async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function readLog(dataDir: string): Promise<RecordedEvent[]> {
  const store = await openPgliteEventStore(dataDir);
  try {
    return await store.readAll();
  } finally {
    await store.close();
  }
}

const callIdOf = (e: RecordedEvent) => (e.data as { callId: string }).callId;

/**
 * Issue 3's crash test with the real service: `siren start` (the built binary, its own process)
 * dials a campaign against the PBX simulator, which this test owns and which outlives it. The
 * process is killed with SIGKILL mid-campaign — no shutdown code runs, the embedded PGlite is left
 * as the crash leaves it — and started again on the same data directory. The PBX's log must show
 * no attempt originated twice, and the second process must complete the campaign.
 */
describe('siren start killed with SIGKILL mid-campaign, then started again', () => {
  const processes: SirenProcess[] = [];
  let pbx: PbxSimulator | undefined;
  let dataDir = '';
  let env: Record<string, string>;
  /** SIREN_CALL_IDs of the Originates the PBX accepted from the killed process. */
  let originatedBeforeKill: string[] = [];
  /** The log as the crash left it. */
  let atRestart: RecordedEvent[] = [];
  let liveAtRestart = new Set<string>();
  let completedLine: Record<string, unknown> | undefined;
  let secondExit: Exit | undefined;
  let events: RecordedEvent[] = [];

  const startSiren = () => {
    const siren = new SirenProcess(['start'], env);
    processes.push(siren);
    return siren;
  };

  beforeAll(async () => {
    // Simulated call durations ÷ 10: an unanswered call rings its 45 s in 4.5 s, so some calls of
    // the killed process are still ringing when the second one comes up, and others ended unheard.
    pbx = await startPbxSimulator({ seed: 7, timeScale: 10, outcomes: 'last-digit', channelVars: [...DEFAULT_CHANNEL_VARS] });
    dataDir = mkdtempSync(join(tmpdir(), 'siren-kill9-'));
    await seedRunningCampaign(dataDir, { campaignId: CAMPAIGN, contacts, retryPolicy: POLICY, maxConcurrentCalls: 40 });
    env = {
      SIREN_DATA_DIR: dataDir,
      AMI_HOST: pbx.host,
      AMI_PORT: String(pbx.port),
      AMI_USERNAME: 'siren',
      AMI_SECRET: 'siren',
      LOG_LEVEL: 'info',
      SIREN_TRUNK_CALLS_PER_SECOND: '40',
      SIREN_TRUNK_MAX_CHANNELS: '60',
    };

    // The limits are generous: on an idle machine the whole test takes well under a minute, but
    // two busy cores can make a PGlite start-up alone take ten seconds.
    const first = startSiren();
    await first.waitForLog('Siren started', 90_000);
    await until(() => pbx!.log.length >= KILL_AFTER_ORIGINATES, `${KILL_AFTER_ORIGINATES} originates`, 60_000);
    expect(await first.stop('SIGKILL', 10_000)).toEqual({ code: null, signal: 'SIGKILL' });
    originatedBeforeKill = pbx.log.map((entry) => entry.sirenVariables.SIREN_CALL_ID!);

    // The store must open as the crash left it (PGlite recovers from its WAL) — and what the
    // second process will fold is exactly this.
    atRestart = await readLog(dataDir);
    liveAtRestart = new Set(foldDialer(atRestart).liveCalls.keys());

    const second = startSiren();
    completedLine = await second.waitForLog('campaign completed', 150_000);
    secondExit = await second.stop('SIGTERM', 30_000);
    events = await readLog(dataDir);
  }, 300_000);

  afterAll(async () => {
    for (const siren of processes) {
      siren.kill('SIGKILL');
      await siren.exited;
    }
    await pbx?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('was killed mid-campaign, with calls in flight', () => {
    expect(atRestart.some((e) => e.type === 'CampaignCompleted')).toBe(false);
    expect(liveAtRestart.size).toBeGreaterThan(0);
  });

  it('had requested in the log every call the PBX originated before the kill', () => {
    const requested = new Set(atRestart.filter((e) => e.type === 'CallRequested').map(callIdOf));
    expect(originatedBeforeKill.filter((callId) => !requested.has(callId))).toEqual([]);
  });

  it('completed the campaign after the restart, and stopped cleanly', () => {
    expect(completedLine).toMatchObject({ campaignId: CAMPAIGN, contacts: contacts.length });
    expect(events.filter((e) => e.type === 'CampaignCompleted')).toHaveLength(1);
    expect(secondExit).toEqual({ code: 0, signal: null });
  });

  it('originated no attempt twice, and only attempts the log had requested', () => {
    expect(pbx!.stats().duplicateCallIds).toEqual([]);
    const requested = new Set(events.filter((e) => e.type === 'CallRequested').map(callIdOf));
    expect(pbx!.log.filter((entry) => !requested.has(entry.sirenVariables.SIREN_CALL_ID!))).toEqual([]);
  });

  /*
   * Every attempt ends once. An attempt still live in the log at the restart is "in doubt": the
   * second process adopts it if the PBX still lists its channel, and otherwise — it ended while no
   * process listened, or its Originate was never sent — closes it as `unknown` (after
   * reconcileGraceSeconds), which the policy does not retry. An adopted call whose answer fell
   * into the gap and whose Hangup arrived before the channel list is recorded from its Hangup
   * alone, as `no-answer` (the dialer README's known gap). Every other attempt ends as the
   * simulator played it, and each contact gets exactly the attempts the policy demands of them.
   */
  it('ended every attempt as the PBX played it, or as `unknown` if it was in doubt, and retried by the policy', () => {
    const endings = new Map<string, Disposition>();
    for (const e of events) {
      if (e.type === 'CallHungUp') endings.set(callIdOf(e), (e.data as CallHungUp['data']).disposition);
      if (e.type === 'CallOriginateFailed') endings.set(callIdOf(e), 'originate-failed');
    }
    const byContact = new Map<string, CallRequested['data'][]>();
    for (const e of events.filter((e) => e.type === 'CallRequested')) {
      const data = e.data as CallRequested['data'];
      byContact.set(data.contactId!, [...(byContact.get(data.contactId!) ?? []), data]);
    }
    const originated = new Set(pbx!.log.map((entry) => entry.sirenVariables.SIREN_CALL_ID!));
    let inDoubt = 0;
    for (const contact of contacts) {
      const calls = byContact.get(contact.contactId) ?? [];
      const played = expectedDisposition(contact.phone);
      expect({ contact: contact.phone, dialed: calls.length > 0 }).toEqual({ contact: contact.phone, dialed: true });
      expect(calls.map((c) => c.attempt)).toEqual(calls.map((_, i) => i + 1));
      const dispositions = calls.map((c) => endings.get(c.callId));
      calls.forEach((call, i) => {
        const ended = dispositions[i];
        const where = { contact: contact.phone, attempt: call.attempt, ended };
        if (!liveAtRestart.has(call.callId)) {
          expect(where).toEqual({ ...where, ended: played });
          return;
        }
        inDoubt += 1;
        const possible: Array<Disposition | undefined> = ['unknown', played];
        if (played === 'answered' || played === 'machine') possible.push('no-answer');
        expect(possible).toContain(ended);
        // An attempt the PBX never saw can only have been closed in doubt.
        if (!originated.has(call.callId)) expect(where).toEqual({ ...where, ended: 'unknown' });
      });
      // The policy: every attempt but the last was retryable; the last one was not, or was the last allowed.
      const retryable = dispositions.map((d) => d !== undefined && POLICY.retryOn.includes(d));
      expect({ contact: contact.phone, dispositions, earlierRetried: retryable.slice(0, -1).every(Boolean), lastIsFinal: !retryable.at(-1) || calls.length === POLICY.maxAttempts }).toEqual({
        contact: contact.phone,
        dispositions,
        earlierRetried: true,
        lastIsFinal: true,
      });
    }
    expect(inDoubt).toBe(liveAtRestart.size);
  });
});
