import { agentsProjection, autodialResponsesProjection, campaignStatsHourlyProjection, reportsProjection } from '../../src/projections';
import { recorded } from './recorded-event';

const at = '2026-11-20T09:00:00Z';
const requested = { callId: 'A', agentId: 'a', phone: '+1', attempt: 1, trackingId: 'T', kind: 'autodial', at };

describe('agents projection handler', () => {
  const agents = agentsProjection();
  it('only reads agent streams', () => {
    expect(agents.handle(recorded('CallRequested', requested))).toEqual([]);
  });
  it('keeps manual and auto-dial caller ids apart', () => {
    const [manual] = agents.handle(recorded('CallerIdSet', { agentId: 'a', kind: 'manual', callerId: '+2', at }, 'agent-a'));
    const [autodial] = agents.handle(recorded('CallerIdSet', { agentId: 'a', kind: 'autodial', callerId: '+3', at }, 'agent-a'));
    expect(manual).toEqual({ op: 'row', key: 'a', at: 7n, set: { manual_caller_id: '+2' } });
    expect(autodial).toEqual({ op: 'row', key: 'a', at: 7n, set: { autodial_caller_id: '+3' } });
  });
  it('never blanks the state with a status change that does not name one', () => {
    const [s] = agents.handle(recorded('AgentStatusChanged', { agentId: 'a', status: 'busy', at }, 'agent-a'));
    expect(s).toEqual({ op: 'row', key: 'a', at: 7n, set: {} });
  });
});

describe('autodial_responses projection handler', () => {
  const responses = autodialResponsesProjection();
  it('remembers auto-dial calls only', () => {
    expect(responses.handle(recorded('CallRequested', { ...requested, kind: 'agent-first' }))).toEqual([]);
    expect(responses.handle(recorded('CallRequested', requested))).toHaveLength(1);
  });
  it('records every key pressed, with its position', () => {
    const [s] = responses.handle(recorded('DtmfPressed', { callId: 'A', digit: '5', source: 'dtmf', at }));
    expect(s).toEqual({ op: 'press', callId: 'A', digit: '5', at, position: 7n });
  });
});

describe('campaign_stats_hourly projection handler', () => {
  const stats = campaignStatsHourlyProjection();
  it('counts a 1 only', () => {
    expect(stats.handle(recorded('DtmfPressed', { callId: 'A', digit: '5', source: 'dtmf', at }))).toEqual([]);
    expect(stats.handle(recorded('DtmfPressed', { callId: 'A', digit: '1', source: 'dtmf', at }))).toHaveLength(1);
  });
  it('counts a disposition it does not know (from a newer writer) as unknown', () => {
    const hangup = { callId: 'A', cause: 16, disposition: 'teleported', ringSeconds: 1, talkSeconds: 0, billableSeconds: 0, durationSeconds: 1, at };
    const [s] = stats.handle(recorded('CallHungUp', hangup));
    expect(s).toMatchObject({ op: 'hung-up', disposition: 'unknown' });
  });
  it('ignores campaign and agent events', () => {
    expect(stats.handle(recorded('CampaignStarted', { campaignId: 'c', at }, 'campaign-c'))).toEqual([]);
    expect(stats.handle(recorded('AgentRegistered', { agentId: 'a' }, 'agent-a'))).toEqual([]);
  });
});

describe('reports projection', () => {
  it('holds views only: no tables, no statements', () => {
    const reports = reportsProjection();
    expect(reports.tables).toEqual([]);
    expect(reports.plan).toBeUndefined();
    expect(reports.handle(recorded('CallRequested', requested))).toEqual([]);
    expect(reports.schemaSql).toMatch(/CREATE OR REPLACE VIEW report_campaigns_v1/);
  });
});
