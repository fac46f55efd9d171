import type { EventStore, NewEvent } from '../../src/eventstore/event-store.port';
import type { Disposition } from '../../src/calls/disposition';

/**
 * A realistic event log for the read-model benchmarks, generated fast and deterministically:
 * agents registering and being authorised, campaigns created / given contacts / started / paused
 * / completed, and their calls interleaved as the saga and the AMI ingest would write them —
 * requested, originated or failed to originate, answered or not, AMD, DTMF, hung up with every
 * disposition, retries scheduled.
 */
export interface GeneratedEvent {
  streamId: string;
  event: NewEvent;
}

/** mulberry32: small, fast, seeded. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UNANSWERED: [Disposition, number, number][] = [
  // disposition, Q.850 cause, weight
  ['busy', 17, 20],
  ['no-answer', 19, 35],
  ['unreachable', 20, 6],
  ['rejected', 21, 4],
  ['invalid-number', 1, 4],
  ['failed', 41, 3],
  ['congestion', 34, 3],
  ['carrier-failure', 38, 2],
  ['cancelled', 16, 2],
  ['unknown', 127, 1],
];
const UNANSWERED_WEIGHT = UNANSWERED.reduce((s, [, , w]) => s + w, 0);
const TRUNKS = ['tr-a', 'tr-b', 'tr-c', 'tr-d'];

interface LiveCall {
  id: string;
  campaign: string;
  contact: string;
  agent: string;
  phone: string;
  attempt: number;
  /** The remaining events of this call, in order. */
  steps: (() => NewEvent)[];
}

/**
 * Yields `total` events. About 40 calls are in progress at any time, so a call's events are
 * spread over a few hundred positions, as on a busy dialler.
 */
export function* generateEvents(total: number, seed = 42, prefix = ''): Generator<GeneratedEvent> {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  let clock = Date.UTC(2026, 10, 2, 8, 0, 0);
  const at = (plusMs = 0) => new Date(clock + plusMs).toISOString();
  let emitted = 0;
  const agents: string[] = [];
  const campaigns: { id: string; agent: string; contacts: number; next: number; paused: boolean }[] = [];
  const live: LiveCall[] = [];
  /** Contacts whose retry was scheduled: dialled again later as the next attempt. */
  const retries: Omit<LiveCall, 'id' | 'steps'>[] = [];
  let calls = 0;
  const emit = function* (streamId: string, type: string, data: object, schemaVersion = 1): Generator<GeneratedEvent> {
    emitted++;
    clock += 40 + Math.floor(rnd() * 160);
    yield { streamId, event: { type, schemaVersion, data } };
  };

  const newAgent = function* (): Generator<GeneratedEvent> {
    const id = `${prefix}ag-${agents.length + 1}`;
    const s = `agent-${id}`;
    agents.push(id);
    yield* emit(s, 'AgentRegistered', { agentId: id, telegramUserId: String(100000 + agents.length), name: `Agent ${agents.length}`, at: at() });
    yield* emit(s, 'AgentAuthorized', { agentId: id, by: 'admin', at: at() });
    yield* emit(s, 'AgentPhoneRegistered', { agentId: id, phone: `+1555100${String(agents.length).padStart(4, '0')}`, at: at() });
    yield* emit(s, 'CallerIdSet', { agentId: id, kind: 'manual', callerId: '+15559990000', at: at() });
    yield* emit(s, 'CallerIdSet', { agentId: id, kind: 'autodial', callerId: '+15559990001', at: at() });
    yield* emit(s, 'RouteSelected', { agentId: id, route: 'us', at: at() });
    yield* emit(s, 'AutodialGranted', { agentId: id, granted: true, by: 'admin', at: at() });
    yield* emit(s, 'AgentStatusChanged', { agentId: id, from: 'offline', to: 'available', at: at() });
  };

  const newCampaign = function* (): Generator<GeneratedEvent> {
    const id = `${prefix}camp-${campaigns.length + 1}`;
    const agent = pick(agents);
    const s = `campaign-${id}`;
    yield* emit(s, 'CampaignCreated', {
      campaignId: id, name: `Campaign ${campaigns.length + 1}`, agentId: agent, timeZone: 'America/New_York',
      callingWindow: { start: '09:00', end: '20:00' },
      retryPolicy: { maxAttempts: 3, retryDelaySeconds: 600, retryOn: ['busy', 'no-answer'] },
      maxConcurrentCalls: 20, route: 'us', callerId: '+15559990001', at: at(),
    }, 2);
    let contacts = 0;
    for (let chunk = 0; chunk < 4; chunk++) {
      const list = Array.from({ length: 250 }, (_, i) => ({ contactId: `${id}-k${contacts + i}`, phone: `+1555${String(campaigns.length * 1000 + contacts + i).padStart(7, '0')}` }));
      contacts += list.length;
      yield* emit(s, 'ContactsImported', { campaignId: id, chunkIndex: chunk, contacts: list, at: at() });
    }
    yield* emit(s, 'CampaignStarted', { campaignId: id, at: at() });
    campaigns.push({ id, agent, contacts, next: 0, paused: false });
  };

  const newCall = (): LiveCall | null => {
    if (retries.length > 20 && rnd() < 0.3) {
      const r = retries.shift()!;
      return makeCall(r.campaign, r.contact, r.agent, r.phone, r.attempt);
    }
    const running = campaigns.filter((c) => !c.paused && c.next < c.contacts);
    if (running.length === 0) return null;
    const c = running[Math.floor(rnd() * Math.min(running.length, 6))];
    const contactIndex = c.next++;
    return makeCall(c.id, `${c.id}-k${contactIndex}`, c.agent, `+1555${String(contactIndex).padStart(7, '0')}`, 1);
  };

  const makeCall = (campaign: string, contact: string, agent: string, phone: string, attempt: number): LiveCall => {
    const id = `${prefix}c${++calls}`;
    const call: LiveCall = { id, campaign, contact, agent, phone, attempt, steps: [] };
    const kind = rnd() < 0.85 ? 'autodial' : 'agent-first';
    const trunk = pick(TRUNKS);
    const steps = call.steps;
    steps.push(() => ({
      type: 'CallRequested',
      data: { callId: id, campaignId: campaign, contactId: contact, agentId: agent, phone, attempt, trackingId: `T${id}`, kind, route: 'us', trunk, callerId: '+15559990001', at: at() },
    }));
    const r = rnd();
    if (r < 0.04) {
      steps.push(() => ({ type: 'CallOriginateFailed', data: { callId: id, reason: 'trunk unavailable', at: at() } }));
      return call;
    }
    // The trunk actually used differs from the requested one now and then (failover).
    const used = rnd() < 0.1 ? pick(TRUNKS) : trunk;
    steps.push(() => ({ type: 'CallOriginated', data: { callId: id, channel: `PJSIP/${used}-${id}`, uniqueId: `${clock / 1000}.${calls}`, trunk: used, at: at() } }));
    const ring = Math.round((2 + rnd() * 20) * 1000) / 1000;
    if (r < 0.45) {
      steps.push(() => ({ type: 'CallAnswered', data: { callId: id, at: at() } }));
      const machine = kind === 'autodial' && rnd() < 0.25;
      if (kind === 'autodial') steps.push(() => ({ type: 'AmdDetected', data: { callId: id, result: machine ? 'machine' : rnd() < 0.9 ? 'human' : 'notsure', at: at() } }));
      if (!machine) {
        const presses = rnd() < 0.5 ? 1 + Math.floor(rnd() * 3) : 0;
        for (let i = 0; i < presses; i++) {
          const digit = i === 0 && rnd() < 0.6 ? '1' : pick(['1', '2', '3', '9', '*', '#']);
          steps.push(() => ({ type: 'DtmfPressed', data: { callId: id, digit, source: rnd() < 0.8 ? 'dtmf' : 'userevent', at: at() } }));
        }
      }
      const talk = Math.round(rnd() * 180 * 1000) / 1000;
      steps.push(() => ({
        type: 'CallHungUp',
        data: {
          callId: id, cause: 16, disposition: machine ? 'machine' : 'answered', ringSeconds: ring, talkSeconds: talk,
          billableSeconds: Math.ceil(talk), durationSeconds: Math.round((ring + talk) * 1000) / 1000, at: at(),
        },
      }));
      return call;
    }
    let w = rnd() * UNANSWERED_WEIGHT;
    const [disposition, cause] = UNANSWERED.find(([, , weight]) => (w -= weight) < 0) ?? UNANSWERED[0];
    steps.push(() => ({
      type: 'CallHungUp',
      data: { callId: id, cause, causeText: cause === 17 ? 'User busy' : undefined, disposition, ringSeconds: ring, talkSeconds: 0, billableSeconds: 0, durationSeconds: ring, at: at() },
    }));
    if ((disposition === 'busy' || disposition === 'no-answer') && attempt < 3) {
      steps.push(() => (retries.push({ campaign, contact, agent, phone, attempt: attempt + 1 }), {
        type: 'CallRetryScheduled',
        data: { callId: id, campaignId: campaign, contactId: contact, nextAttempt: attempt + 1, notBefore: at(600_000), at: at() },
      }));
    }
    return call;
  };

  for (let i = 0; i < 40 && emitted < total; i++) yield* newAgent();
  while (emitted < total) {
    const r = rnd();
    if (campaigns.filter((c) => c.next < c.contacts).length < 8) {
      yield* newCampaign();
      continue;
    }
    if (r < 0.01) {
      // presence changes of the agents, now and then
      const agent = pick(agents);
      yield* emit(`agent-${agent}`, 'AgentStatusChanged', { agentId: agent, from: 'available', to: pick(['available', 'on-call', 'wrap-up']), at: at() });
      continue;
    }
    if (r < 0.012) {
      const c = pick(campaigns);
      if (c.next >= c.contacts) continue;
      c.paused = !c.paused;
      yield* emit(`campaign-${c.id}`, c.paused ? 'CampaignPaused' : 'CampaignResumed', { campaignId: c.id, at: at() });
      continue;
    }
    if (live.length < 40) {
      const call = newCall();
      if (call) live.push(call);
    }
    if (live.length === 0) {
      const c = campaigns.find((x) => x.paused);
      if (c) {
        c.paused = false;
        yield* emit(`campaign-${c.id}`, 'CampaignResumed', { campaignId: c.id, at: at() });
      }
      continue;
    }
    const index = Math.floor(rnd() * live.length);
    const call = live[index];
    emitted++;
    clock += 40 + Math.floor(rnd() * 160);
    yield { streamId: `call-${call.id}`, event: call.steps.shift()!() };
    if (call.steps.length > 0) continue;
    live.splice(index, 1);
    const c = campaigns.find((x) => x.id === call.campaign)!;
    if (c.next >= c.contacts && !live.some((x) => x.campaign === c.id) && emitted < total) {
      yield* emit(`campaign-${c.id}`, 'CampaignCompleted', { campaignId: c.id, at: at() });
    }
  }
}

/**
 * Appends the generated log to `store` through its ordinary append path (group commit batches
 * concurrent appends): chunks of the log, each chunk's events grouped per stream (order within a
 * stream kept) and appended concurrently, chunk after chunk. Returns the head position.
 */
export async function appendGenerated(store: EventStore, total: number, onProgress?: (n: number) => void, prefix = ''): Promise<bigint> {
  const chunk: GeneratedEvent[] = [];
  let done = 0;
  const flush = async () => {
    const byStream = new Map<string, NewEvent[]>();
    for (const g of chunk) {
      const list = byStream.get(g.streamId);
      if (list) list.push(g.event);
      else byStream.set(g.streamId, [g.event]);
    }
    await Promise.all([...byStream].map(([streamId, events]) => store.append(streamId, events, { expectedRevision: 'any' })));
    done += chunk.length;
    chunk.length = 0;
    onProgress?.(done);
  };
  for (const g of generateEvents(total, 42, prefix)) {
    chunk.push(g);
    if (chunk.length >= 4000) await flush();
  }
  if (chunk.length > 0) await flush();
  return store.headPosition();
}
