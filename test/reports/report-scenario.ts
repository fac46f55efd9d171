import type { AppendResult, EventStore } from '../../src/eventstore/event-store.port';
import { REPORT_CALLS, appendReportCalls } from '../projections/reporting-scenario';
import { append, appendScenario, CAMPAIGN } from '../projections/scenario';

/**
 * The reports' day: campaign `rep` (created with a name CSV must quote) with the ten hand-computed
 * calls of test/projections/reporting-scenario.ts plus one call still talking and one still
 * ringing; and test/projections/scenario.ts (campaign camp-1 with calls A, B, C; camp-v1 without
 * calls; D outside any campaign). CALLS below lists every call as the test expects it to count.
 */
export const REP = 'rep';
export const REP_NAME = 'Winter, "best" deals';

const at = (hour: number, minute: number, second = 0) => new Date(Date.UTC(2026, 10, 20, hour, minute, second)).toISOString();

export async function appendReportDay(store: EventStore): Promise<AppendResult> {
  const c = `campaign-${REP}`;
  await append(store, c, 'CampaignCreated', {
    campaignId: REP, name: REP_NAME, agentId: 'ag-2', timeZone: 'Europe/London', callingWindow: { start: '08:00', end: '21:00' },
    retryPolicy: { maxAttempts: 3, retryDelaySeconds: 900, retryOn: ['busy'] }, maxConcurrentCalls: 10, route: 'us', at: at(8, 30),
  }, 2);
  await append(store, c, 'ContactsImported', {
    campaignId: REP, chunkIndex: 0, at: at(8, 31),
    contacts: Array.from({ length: 12 }, (_, i) => ({ contactId: `k${i + 1}`, phone: `+1555000${1000 + i}` })),
  });
  await append(store, c, 'CampaignStarted', { campaignId: REP, at: at(8, 32) });
  await appendReportCalls(store);
  const requested = (callId: string, minute: number) =>
    append(store, `call-${callId}`, 'CallRequested', {
      callId, campaignId: REP, contactId: `k${callId.slice(1)}`, agentId: 'ag-2', phone: '+15550009999', attempt: 1,
      trackingId: `R.${callId}`, kind: 'autodial', route: 'us', trunk: 'tr-a', at: at(10, minute),
    });
  await requested('r11', 40);
  await append(store, 'call-r11', 'CallOriginated', { callId: 'r11', channel: 'PJSIP/tr-a-11', uniqueId: '2.11', trunk: 'tr-a', at: at(10, 40, 1) });
  await append(store, 'call-r11', 'CallAnswered', { callId: 'r11', at: at(10, 40, 4) });
  await requested('r12', 41);
  return appendScenario(store);
}

/** One call attempt as the reports should count it. */
export interface ExpectedCall {
  campaign: string;
  trunk: string;
  agent: string;
  hour: string;
  originated: boolean;
  answered: boolean;
  /** Set once the call ended. */
  disposition?: string;
  talk: number;
  billable: number;
  pressedOne: boolean;
}

const hour = (h: number) => `2026-11-20T${String(h).padStart(2, '0')}:00:00Z`;

export const CALLS: readonly ExpectedCall[] = [
  ...REPORT_CALLS.map((c) => ({
    campaign: REP, trunk: c.trunk, agent: c.agent, hour: hour(c.hour), originated: c.outcome !== 'originate-failed',
    answered: c.outcome === 'answered' || c.outcome === 'machine', disposition: c.outcome, talk: c.talk ?? 0, billable: c.billable ?? 0,
    pressedOne: c.pressedOne === true,
  })),
  { campaign: REP, trunk: 'tr-a', agent: 'ag-2', hour: hour(10), originated: true, answered: true, talk: 0, billable: 0, pressedOne: false },
  { campaign: REP, trunk: 'tr-a', agent: 'ag-2', hour: hour(10), originated: false, answered: false, talk: 0, billable: 0, pressedOne: false },
  // scenario.ts: A went out on tr-b; B busy; C's Originate failed on tr-a; D outside any campaign.
  { campaign: CAMPAIGN, trunk: 'tr-b', agent: 'ag-1', hour: hour(9), originated: true, answered: true, disposition: 'answered', talk: 12.4, billable: 13, pressedOne: true },
  { campaign: CAMPAIGN, trunk: 'tr-a', agent: 'ag-1', hour: hour(9), originated: true, answered: false, disposition: 'busy', talk: 0, billable: 0, pressedOne: false },
  { campaign: CAMPAIGN, trunk: 'tr-a', agent: 'ag-1', hour: hour(9), originated: false, answered: false, disposition: 'originate-failed', talk: 0, billable: 0, pressedOne: false },
  { campaign: '', trunk: 'tr-a', agent: 'ag-1', hour: hour(9), originated: true, answered: true, disposition: 'machine', talk: 4, billable: 4, pressedOne: false },
];

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;
const ratio = (a: number, b: number, places: number) => (b === 0 ? null : round(a / b, places));

/** The figures of a set of calls, computed here from the definitions (not read back from SQL). */
export function expectedFigures(calls: readonly ExpectedCall[]) {
  const count = (p: (c: ExpectedCall) => boolean) => calls.filter(p).length;
  const attempts = calls.length;
  const originated = count((c) => c.originated);
  const answered = count((c) => c.answered);
  const answeredEnded = count((c) => c.answered && c.disposition !== undefined);
  const pressedOne = count((c) => c.pressedOne);
  const ended = calls.filter((c) => c.disposition !== undefined);
  const talkSeconds = round(ended.reduce((s, c) => s + c.talk, 0), 6);
  return {
    attempts, originated, answered, ended: ended.length, answeredEnded, pressedOne, talkSeconds,
    billableSeconds: ended.reduce((s, c) => s + c.billable, 0),
    answerRate: ratio(answered, attempts, 4),
    asr: ratio(answered, originated, 4),
    acdSeconds: ratio(talkSeconds, answeredEnded, 2),
    pressedOneRate: ratio(pressedOne, answered, 4),
  };
}

/** Calls grouped by a key, keys sorted as the reports sort them. */
export function groupCalls(calls: readonly ExpectedCall[], key: (c: ExpectedCall) => string): [string, ExpectedCall[]][] {
  const groups = new Map<string, ExpectedCall[]>();
  for (const c of calls) groups.set(key(c), [...(groups.get(key(c)) ?? []), c]);
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Ended calls per disposition with their share, most frequent first. */
export function expectedMix(calls: readonly ExpectedCall[]) {
  const ended = calls.filter((c) => c.disposition !== undefined);
  return groupCalls(ended, (c) => c.disposition!)
    .map(([disposition, list]) => ({ disposition, calls: list.length, share: round(list.length / ended.length, 4) }))
    .sort((a, b) => b.calls - a.calls || (a.disposition < b.disposition ? -1 : 1));
}
