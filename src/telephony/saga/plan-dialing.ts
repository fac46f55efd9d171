import type { CallIdFor } from './call-id';
import { isWithinCallingWindow } from './calling-window';
import { hopper, unrecordedRetries, type ContactState } from './contact-book';
import type { Decision, DialDecision } from './decisions';
import { summaryOf, type DialerCampaign, type DialerState } from './dialer-state';
import { hasToken, refill, takeToken, type BucketRate, type TokenBucket, type TrunkBuckets } from './token-bucket';

/*
 * Crash safety — why no attempt is dialed twice and none is forgotten.
 *
 * 1. A `dial` decision becomes a CallRequested event on `call-<callId>` (expected revision
 *    `no_stream`), appended BEFORE the Originate is sent. callId = callIdFor(campaign, contact,
 *    attempt) is deterministic.
 * 2. The state is folded from the log only. Once that CallRequested is folded, its contact is
 *    `live` with `attempts` = that attempt, so the hopper no longer offers it; when the call ends
 *    the contact is either done or waits for attempt + 1. planDialing never plans attempt N twice.
 * 3. If the process dies after the append but before the Originate, the restarted fold still holds
 *    the request: the call is live in the state but not on the PBX. `reconcile` closes such calls as
 *    `unknown` (not re-dialed unless the policy retries `unknown`). If it dies before the append,
 *    nothing was sent and nothing recorded: the contact is simply planned again, same callId.
 * 4. If a runner plans again before its own CallRequested has been folded (a lagging
 *    subscription), it recomputes the same callId; the append to `call-<callId>` is refused as a
 *    duplicate, so the repeat is recognised, not dialed. Caps and pacing, however, are computed from
 *    the folded state: a runner should wait until the fold has reached the positions of its appends
 *    before it plans again, or it may exceed them for one tick.
 */

export interface TrunkLimits extends BucketRate {
  /** Channels the trunk may carry at once. */
  maxChannels: number;
}

export interface DialerLimits {
  /** Live calls across all campaigns and manual calls. */
  maxGlobalCalls: number;
  trunks?: Readonly<Record<string, TrunkLimits>>;
  /** For trunks not in `trunks`; when absent such a trunk is capped only by the global cap. */
  defaultTrunk?: TrunkLimits;
  /**
   * The trunks a call of `route` may use, first choice first; by default the route names a single
   * trunk. Wire the origination's deterministic `trunkOrder(route, routes, callId)` here.
   */
  trunksFor?: (route: string, callId: string) => readonly string[];
}

export interface PlanInput {
  callIdFor: CallIdFor;
  /** Phones (E.164) not to call, checked again at planning time. */
  doNotCall: ReadonlySet<string>;
  /** The buckets the previous plan returned; empty (full buckets) after a start. */
  buckets?: TrunkBuckets;
}

export interface DialPlan {
  readonly decisions: Decision[];
  /** Pass these to the next planDialing. */
  readonly buckets: TrunkBuckets;
}

const isOpen = (c: DialerCampaign): boolean => c.status === 'running' || c.status === 'paused';

/** Nothing pending (fresh or awaiting a retry), nothing live: the campaign has run its course. */
const isFinished = (c: DialerCampaign): boolean =>
  c.contacts.total > 0 && c.contacts.fresh + c.contacts.retrying + c.contacts.live === 0 && c.liveCalls === 0;

/** Hang-ups for cancelled campaigns, retries to record, completions: everything but dialing. */
function bookkeeping(state: DialerState): Decision[] {
  const decisions: Decision[] = [];
  for (const live of state.liveCalls.values()) {
    const campaign = live.campaignId === undefined ? undefined : state.campaigns.get(live.campaignId);
    if (campaign?.status === 'cancelled') {
      decisions.push({ kind: 'hangup', campaignId: campaign.campaignId, callId: live.callId, reason: 'campaign-cancelled' });
    }
  }
  for (const campaign of state.campaigns.values()) {
    if (!isOpen(campaign)) continue;
    for (const contact of unrecordedRetries(campaign.contacts)) {
      if (contact.lastCallId === undefined || contact.nextEligibleAt === undefined) continue;
      decisions.push({
        kind: 'schedule-retry',
        campaignId: campaign.campaignId,
        contactId: contact.contactId,
        callId: contact.lastCallId,
        nextAttempt: contact.attempts + 1,
        notBefore: new Date(contact.nextEligibleAt).toISOString(),
        retryPolicy: { ...campaign.settings.retryPolicy, retryOn: [...campaign.settings.retryPolicy.retryOn] },
      });
    }
    if (isFinished(campaign)) {
      decisions.push({ kind: 'complete', campaignId: campaign.campaignId, summary: summaryOf(campaign) });
    }
  }
  return decisions;
}

interface CampaignTurn {
  readonly campaign: DialerCampaign;
  readonly candidates: Generator<ContactState>;
  live: number;
}

/**
 * Which contacts to dial now. Pure: the same state, clock, limits and inputs give the same plan.
 *
 * Only running campaigns inside their calling window dial. Campaigns take turns, one call each per
 * round in creation order, so one large campaign cannot starve the others of the global cap. Each
 * call is charged to the campaign cap, the global cap, and the first trunk of its route that has a
 * free channel and a calls-per-second token. Contacts come from the hopper (fresh first, then due
 * retries, in import order); a contact on the do-not-call list met on the way becomes `skip-dnc`
 * instead and takes no capacity.
 */
export function planDialing(state: DialerState, now: Date, limits: DialerLimits, input: PlanInput): DialPlan {
  const nowMs = now.getTime();
  const decisions = bookkeeping(state);
  const buckets = new Map<string, TokenBucket>(input.buckets ?? []);
  const trunkLive = new Map(state.liveByTrunk);
  let globalLive = state.liveCalls.size;
  const trunksFor = limits.trunksFor ?? ((route: string) => [route]);
  const trunkLimits = (trunk: string): TrunkLimits | undefined => limits.trunks?.[trunk] ?? limits.defaultTrunk;

  /** The first trunk with a free channel and a token, its token taken; undefined if none. */
  const takeTrunk = (trunks: readonly string[]): string | undefined => {
    for (const trunk of trunks) {
      const caps = trunkLimits(trunk);
      if (!caps) return trunk;
      if ((trunkLive.get(trunk) ?? 0) >= caps.maxChannels) continue;
      if (!Number.isFinite(caps.callsPerSecond)) return trunk;
      const bucket = refill(buckets.get(trunk), caps, nowMs);
      buckets.set(trunk, bucket);
      if (!hasToken(bucket)) continue;
      buckets.set(trunk, takeToken(bucket));
      return trunk;
    }
    return undefined;
  };

  /** Plans one call for the campaign; false when it can dial no more this tick. */
  const dialOne = (turn: CampaignTurn): boolean => {
    const { campaign } = turn;
    const { settings } = campaign;
    if (turn.live >= settings.maxConcurrentCalls) return false;
    for (let next = turn.candidates.next(); !next.done; next = turn.candidates.next()) {
      const contact = next.value;
      if (input.doNotCall.has(contact.phone)) {
        decisions.push({ kind: 'skip-dnc', campaignId: campaign.campaignId, contactId: contact.contactId, phone: contact.phone });
        continue;
      }
      const attempt = contact.attempts + 1;
      if (attempt > settings.retryPolicy.maxAttempts) continue; // cannot happen for a pending contact; belt and braces
      const callId = input.callIdFor(campaign.campaignId, contact.contactId, attempt);
      const trunk = takeTrunk(trunksFor(settings.route, callId));
      // No trunk free: the contact stays pending and is first in line next tick.
      if (trunk === undefined) return false;
      const decision: DialDecision = {
        kind: 'dial',
        campaignId: campaign.campaignId,
        contactId: contact.contactId,
        phone: contact.phone,
        attempt,
        callId,
        sequence: contact.sequence,
        agentId: settings.agentId,
        route: settings.route,
        ...(settings.callerId !== undefined ? { callerId: settings.callerId } : {}),
        trunkHint: trunk,
      };
      decisions.push(decision);
      trunkLive.set(trunk, (trunkLive.get(trunk) ?? 0) + 1);
      globalLive += 1;
      turn.live += 1;
      return true;
    }
    return false;
  };

  let turns: CampaignTurn[] = [];
  for (const campaign of state.campaigns.values()) {
    if (campaign.status !== 'running') continue;
    const { timeZone, callingWindow, callingDays } = campaign.settings;
    if (!isWithinCallingWindow(now, timeZone, callingWindow, callingDays)) continue;
    turns.push({ campaign, candidates: hopper(campaign.contacts, nowMs), live: campaign.liveCalls });
  }
  while (turns.length > 0 && globalLive < limits.maxGlobalCalls) {
    const stillDialing: CampaignTurn[] = [];
    for (const turn of turns) {
      if (globalLive >= limits.maxGlobalCalls) break;
      if (dialOne(turn)) stillDialing.push(turn);
    }
    turns = stillDialing;
  }
  return { decisions, buckets };
}
