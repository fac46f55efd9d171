import type { AppendResult, EventStore } from '../../src/eventstore/event-store.port';
import { append } from './scenario';

const at = (hour: number, minute: number, second = 0) => new Date(Date.UTC(2026, 10, 20, hour, minute, second)).toISOString();

/** Agent ag-1 set up and going on a call; ag-2 authorised, then deauthorised with auto-dial revoked. */
export async function appendAgentSetup(store: EventStore): Promise<void> {
  const a1 = 'agent-ag-1';
  await append(store, a1, 'AgentRegistered', { agentId: 'ag-1', telegramUserId: '1001', name: "Ann O'Neil", at: at(8, 0) });
  await append(store, 'agent-ag-2', 'AgentRegistered', { agentId: 'ag-2', telegramUserId: '1002', name: 'Bob', at: at(8, 1) });
  await append(store, a1, 'AgentAuthorized', { agentId: 'ag-1', by: 'admin-1', at: at(8, 2) });
  await append(store, a1, 'AgentPhoneRegistered', { agentId: 'ag-1', phone: '+15551110001', at: at(8, 3) });
  await append(store, a1, 'CallerIdSet', { agentId: 'ag-1', kind: 'manual', callerId: '+15552220001', at: at(8, 4) });
  await append(store, a1, 'CallerIdSet', { agentId: 'ag-1', kind: 'autodial', callerId: '+15552220002', at: at(8, 5) });
  await append(store, a1, 'RouteSelected', { agentId: 'ag-1', route: 'us', at: at(8, 6) });
  await append(store, a1, 'AutodialGranted', { agentId: 'ag-1', granted: true, by: 'admin-1', at: at(8, 7) });
  await append(store, 'agent-ag-2', 'AgentAuthorized', { agentId: 'ag-2', by: 'admin-1', at: at(8, 8) });
  await append(store, 'agent-ag-2', 'AutodialGranted', { agentId: 'ag-2', granted: true, by: 'admin-1', at: at(8, 9) });
  await append(store, a1, 'AgentStatusChanged', { agentId: 'ag-1', from: 'offline', to: 'available', reason: 'login', at: at(8, 10) });
  await append(store, 'agent-ag-2', 'AutodialGranted', { agentId: 'ag-2', granted: false, by: 'admin-2', at: at(8, 11) });
  await append(store, 'agent-ag-2', 'AgentDeauthorized', { agentId: 'ag-2', by: 'admin-2', at: at(8, 12) });
  await append(store, a1, 'AgentStatusChanged', { agentId: 'ag-1', from: 'available', to: 'on-call', reason: 'call answered', at: at(9, 0, 9) });
}

/** After appendScenario: ag-1 in wrap-up; an auto-dial call E outside any campaign, answered, key 2. */
export async function appendAfterScenario(store: EventStore): Promise<AppendResult> {
  await append(store, 'agent-ag-1', 'AgentStatusChanged', { agentId: 'ag-1', from: 'on-call', to: 'wrap-up', reason: 'hung up', at: at(9, 0, 21) });
  await append(store, 'call-E', 'CallRequested', {
    callId: 'E', agentId: 'ag-2', phone: '+15550000010', attempt: 1, trackingId: 'T.E', kind: 'autodial', route: 'us', at: at(10, 15),
  });
  await append(store, 'call-E', 'CallAnswered', { callId: 'E', at: at(10, 15, 5) });
  await append(store, 'call-E', 'DtmfPressed', { callId: 'E', digit: '2', source: 'dtmf', at: at(10, 15, 8) });
  return append(store, 'call-E', 'CallHungUp', {
    callId: 'E', cause: 16, disposition: 'answered', ringSeconds: 5, talkSeconds: 5, billableSeconds: 5, durationSeconds: 10, at: at(10, 15, 10),
  });
}

type Outcome = 'answered' | 'machine' | 'busy' | 'no-answer' | 'congestion' | 'originate-failed';
interface ReportCall {
  agent: string;
  trunk: string;
  hour: number;
  outcome: Outcome;
  talk?: number;
  billable?: number;
  pressedOne?: boolean;
}

/**
 * Ten calls of campaign `rep`, hand-computed in the report test. Every request names trunk tr-a
 * (except 5, whose Originate fails on tr-b); the trunk actually used comes with CallOriginated,
 * so 4, 8, 9 and 10 move to tr-b.
 */
export const REPORT_CALLS: readonly ReportCall[] = [
  { agent: 'ag-1', trunk: 'tr-a', hour: 9, outcome: 'answered', talk: 30, billable: 30, pressedOne: true },
  { agent: 'ag-1', trunk: 'tr-a', hour: 9, outcome: 'answered', talk: 10.5, billable: 11 },
  { agent: 'ag-1', trunk: 'tr-a', hour: 9, outcome: 'busy' },
  { agent: 'ag-1', trunk: 'tr-b', hour: 9, outcome: 'no-answer' },
  { agent: 'ag-1', trunk: 'tr-b', hour: 9, outcome: 'originate-failed' },
  { agent: 'ag-2', trunk: 'tr-a', hour: 10, outcome: 'answered', talk: 60, billable: 60, pressedOne: true },
  { agent: 'ag-2', trunk: 'tr-a', hour: 10, outcome: 'machine', talk: 5, billable: 5 },
  { agent: 'ag-2', trunk: 'tr-b', hour: 10, outcome: 'no-answer' },
  { agent: 'ag-2', trunk: 'tr-b', hour: 10, outcome: 'congestion' },
  { agent: 'ag-2', trunk: 'tr-b', hour: 10, outcome: 'answered', talk: 20, billable: 20, pressedOne: true },
];

const CAUSES: Record<Outcome, number> = { answered: 16, machine: 16, busy: 17, 'no-answer': 19, congestion: 34, 'originate-failed': 0 };

export async function appendReportCalls(store: EventStore): Promise<AppendResult> {
  let last: AppendResult | undefined;
  // All requests first, then each call's progress: the streams interleave as in a live campaign.
  for (const [i, c] of REPORT_CALLS.entries()) {
    const callId = `r${i + 1}`;
    last = await append(store, `call-${callId}`, 'CallRequested', {
      callId, campaignId: 'rep', contactId: `k${i + 1}`, agentId: c.agent, phone: `+1555000${1000 + i}`, attempt: 1,
      trackingId: `R.${i + 1}`, kind: 'autodial', route: 'us', trunk: c.outcome === 'originate-failed' ? c.trunk : 'tr-a',
      at: at(c.hour, 10 + i),
    });
  }
  for (const [i, c] of REPORT_CALLS.entries()) {
    const callId = `r${i + 1}`;
    const s = `call-${callId}`;
    if (c.outcome === 'originate-failed') {
      last = await append(store, s, 'CallOriginateFailed', { callId, reason: 'trunk down', at: at(c.hour, 10 + i, 1) });
      continue;
    }
    await append(store, s, 'CallOriginated', { callId, channel: `PJSIP/${c.trunk}-${i}`, uniqueId: `2.${i}`, trunk: c.trunk, at: at(c.hour, 10 + i, 1) });
    const answered = c.outcome === 'answered' || c.outcome === 'machine';
    if (answered) await append(store, s, 'CallAnswered', { callId, at: at(c.hour, 10 + i, 5) });
    if (c.outcome === 'machine') await append(store, s, 'AmdDetected', { callId, result: 'machine', at: at(c.hour, 10 + i, 6) });
    if (c.pressedOne) {
      await append(store, s, 'DtmfPressed', { callId, digit: '1', source: 'dtmf', at: at(c.hour, 10 + i, 7) });
      await append(store, s, 'DtmfPressed', { callId, digit: '1', source: 'dtmf', at: at(c.hour, 10 + i, 8) });
    }
    const talk = c.talk ?? 0;
    last = await append(store, s, 'CallHungUp', {
      callId, cause: CAUSES[c.outcome], disposition: c.outcome, ringSeconds: 5, talkSeconds: talk, billableSeconds: c.billable ?? 0,
      durationSeconds: 5 + talk, at: at(c.hour, 11 + i),
    });
  }
  return last!;
}
