import type { Logger } from 'pino';
import type { CampaignSummary } from '../../campaigns/campaign.events';
import type { EventStore, RecordedEvent, Subscription } from '../../eventstore/event-store.port';
import type { Clock } from '../../shared/tokens';
import type { AmiConnected } from '../ami/ami-client';
import type { AmiEvent } from '../ami/ami-fields';
import type { ChannelTracker } from '../ami-events/channel-tracker';
import { channelIdFor, callIdFor as originationCallIdFor } from '../origination/call-ids';
import type { OriginateResult, Originator } from '../origination/originator';
import { knownTrunks, trunkOrder } from '../origination/routes';
import type { OriginationConfig } from '../origination/telephony.config';
import type { CallIdFor } from '../saga/call-id';
import type { Decision } from '../saga/decisions';
import { evolveDialer, initialDialerState, summaryOf, type DialerState } from '../saga/dialer-state';
import { planDialing, type DialerLimits } from '../saga/plan-dialing';
import { reconcile } from '../saga/reconcile';
import type { TokenBucket, TrunkBuckets } from '../saga/token-bucket';
import { DialerActions, type DialerAmi, type DispatchSirenCommand } from './dialer-actions';

/** The AMI client as the dialer sees it: hang-ups out, (re)connections in. */
export interface DialerAmiClient extends DialerAmi {
  onConnected(handler: (connected: AmiConnected) => void): () => void;
  /** The PBX's live channels; with it the runtime reconciles at start and sweeps periodically. */
  coreShowChannels?(): Promise<AmiEvent[]>;
}

/** The inbound half (AmiEventIngest): started and stopped with the dialer, sharing its tracker. */
export interface DialerIngest {
  readonly tracker: ChannelTracker;
  start(): void;
  stop(): Promise<void>;
  /** One event in, as if from the PBX (AmiEventIngest.ingest): used to replay channel states at start. */
  ingest?(event: AmiEvent): unknown;
}

export interface DialerRuntimeOptions {
  eventStore: Pick<EventStore, 'readAll' | 'subscribeToAll' | 'append' | 'headPosition'>;
  dispatch: DispatchSirenCommand;
  ami: DialerAmiClient;
  originator: Pick<Originator, 'originate'>;
  ingest: DialerIngest;
  originationConfig: OriginationConfig;
  limits: DialerLimits;
  /** May be a scaled, simulated clock; the command handlers should read the same one. */
  clock: Clock;
  doNotCall?: ReadonlySet<string>;
  /** Planning period in real milliseconds. Default 50. */
  tickMs?: number;
  logger?: Logger;
  callIdFor?: CallIdFor;
  /** Calls requested less than this long ago (simulated seconds) are not reconciled. Default 10. */
  reconcileGraceSeconds?: number;
  /** Told of every Originate's result (metrics, tests). */
  onOriginated?: (result: OriginateResult) => void;
  /**
   * Real milliseconds between sweeps of the PBX's channel list (needs `ami.coreShowChannels`); a
   * live call missing from two sweeps in a row is closed as `unknown`. Off (0) by default: under
   * heavy CPU load with 300 ms sweeps it closed as `unknown` a few calls the PBX had originated
   * and still reported on afterwards, for a reason not yet found. Reconnects and restarts reconcile without it.
   */
  sweepMs?: number;
}

const READ_PAGE = 1000;

/** The SIREN_CALL_IDs on the PBX, and the calls live in the fold when the list was asked for. */
interface ChannelList {
  readonly channels: readonly AmiEvent[];
  readonly before: ReadonlySet<string>;
}

/**
 * The campaign dialer's loop (M7): the state is folded from the log only — read in pages at
 * start, then followed by a subscription — and every tick, once the fold has reached everything
 * this runtime appended, `planDialing` decides and `DialerActions` acts. Waiting for the fold
 * keeps the caps exact and means a decision is never taken twice from a stale state.
 */
export class DialerRuntime {
  private state: DialerState = initialDialerState();
  private buckets: TrunkBuckets | undefined;
  /** The fold must reach this position (the head after our last appends) before we plan again. */
  private mustReach = 0n;
  private subscription: Subscription | undefined;
  private following: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;
  private readonly sending = new Set<Promise<void>>();
  private readonly unsubscribe: Array<() => void> = [];
  private pendingReconcile: ChannelList | undefined;
  private pendingSweep: ChannelList | undefined;
  /** Calls live in the log but missing from the last sweep's channel list. */
  private suspects = new Set<string>();
  private sweepTimer: NodeJS.Timeout | undefined;
  /** When to list the PBX's channels again for calls a reconcile found too young to judge. */
  private recheckAt: Date | undefined;
  private readonly waiters = new Map<string, Array<(summary: CampaignSummary) => void>>();
  private readonly actions: DialerActions;
  private readonly limits: DialerLimits;
  private readonly callIdFor: CallIdFor;

  constructor(private readonly options: DialerRuntimeOptions) {
    const { originationConfig } = options;
    this.limits = {
      ...options.limits,
      trunksFor: options.limits.trunksFor ?? ((route, callId) => trunkOrder(route, originationConfig.routes, callId)),
    };
    this.callIdFor = options.callIdFor ?? originationCallIdFor;
    this.actions = new DialerActions({
      eventStore: options.eventStore,
      dispatch: options.dispatch,
      ami: options.ami,
      originator: options.originator,
      tracker: options.ingest.tracker,
      clock: options.clock,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.onOriginated ? { onOriginated: options.onOriginated } : {}),
    });
  }

  /** The folded state (read-only snapshot). */
  get dialerState(): DialerState {
    return this.state;
  }

  async start(): Promise<void> {
    let after: bigint | undefined;
    for (;;) {
      const page = await this.options.eventStore.readAll({ ...(after !== undefined ? { after } : {}), maxCount: READ_PAGE });
      for (const event of page) this.apply(event);
      if (page.length < READ_PAGE) break;
      after = page[page.length - 1]!.position;
    }
    this.following = this.follow();
    this.unsubscribe.push(this.options.ami.onConnected((connected) => this.onConnected(connected)));
    this.adoptLiveCalls();
    this.options.ingest.start();
    if (this.state.liveCalls.size > 0) await this.reconcileAtStart();
    this.timer = setInterval(() => this.tick(), this.options.tickMs ?? 50);
    const sweepMs = this.options.sweepMs ?? 0;
    if (sweepMs > 0 && this.options.ami.coreShowChannels) this.sweepTimer = setInterval(() => void this.sweep(), sweepMs);
    this.options.logger?.info({ position: String(this.state.position ?? 0n), campaigns: this.state.campaigns.size }, 'dialer started');
  }

  /** Stops planning, closes the subscription and waits for the actions and AMI commands in flight. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    for (const off of this.unsubscribe.splice(0)) off();
    await this.ticking;
    while (this.sending.size > 0) await Promise.all(this.sending);
    await this.options.ingest.stop();
    await this.subscription?.close();
    await this.following;
  }

  /** Resolves with the summary once the campaign is completed (at once if it already is). */
  onCampaignCompleted(campaignId: string): Promise<CampaignSummary> {
    const campaign = this.state.campaigns.get(campaignId);
    if (campaign?.status === 'completed') return Promise.resolve(summaryOf(campaign));
    return new Promise((resolve) => this.waiters.set(campaignId, [...(this.waiters.get(campaignId) ?? []), resolve]));
  }

  /** Closes calls live in the log but absent from the PBX (SIREN_CALL_IDs given), at the next tick. */
  reconcileWith(liveCallIds: ReadonlySet<string>): void {
    this.pendingReconcile = { channels: [...liveCallIds].map((id) => ({ 'chanvariable.SIREN_CALL_ID': id })), before: this.liveCallIds() };
  }

  private onConnected({ reconnected, channels }: AmiConnected): void {
    if (!reconnected) return;
    this.options.logger?.info({ liveChannels: channels.length }, 'AMI reconnected: reconciling calls in doubt');
    this.pendingReconcile = { channels, before: this.liveCallIds() };
  }

  /**
   * After a restart the calls still live in the log were placed by an earlier process. Their ids
   * are deterministic, so registering them again (ChannelId = channelIdFor(callId)) lets the
   * ingest match their remaining events instead of ignoring them.
   */
  private adoptLiveCalls(): void {
    const { tracker } = this.options.ingest;
    for (const call of this.state.liveCalls.values()) {
      tracker.originated({ callId: call.callId, channelId: channelIdFor(call.callId), ...(call.trunk !== undefined ? { trunk: call.trunk } : {}) });
      const tracked = tracker.call(call.callId);
      if (!tracked) continue;
      // What the log already holds must not be recorded again, nor forgotten (an answered call's
      // Hangup with cause 16 means "answered", not "no answer").
      if (call.status !== 'requested') tracked.originatedSent = true;
      if (call.status === 'answered') tracked.answered = true;
    }
  }

  /** Events of the time no process listened are lost: calls not on the PBX any more are closed. */
  private async reconcileAtStart(): Promise<void> {
    const list = this.options.ami.coreShowChannels;
    if (!list) return;
    try {
      const before = this.liveCallIds();
      const channels = await list.call(this.options.ami);
      this.replayChannelStates(channels);
      this.pendingReconcile = { channels, before };
    } catch (error) {
      this.options.logger?.warn({ error: error instanceof Error ? error.message : String(error) }, 'cannot list channels at start: calls in doubt wait for the next sweep');
    }
  }

  /**
   * A call answered (or only created) while no process listened: its channel's current state,
   * replayed through the ingest as a Newstate, records what the lost events would have — in the
   * call's own command chain, so it cannot overtake the call's next events.
   */
  private replayChannelStates(channels: readonly AmiEvent[]): void {
    const { ingest } = this.options;
    if (!ingest.ingest) return;
    for (const channel of channels) {
      const callId = channel['chanvariable.SIREN_CALL_ID'];
      const live = callId === undefined ? undefined : this.state.liveCalls.get(callId);
      if (!live || live.status === 'answered' || channel.uniqueid !== channelIdFor(live.callId)) continue;
      ingest.ingest({ ...channel, event: 'Newstate' });
    }
  }

  /**
   * The periodic check for calls whose end never reached us (an Originate with an unknown outcome,
   * an event lost): one missing sweep may only mean its Hangup is still on its way, two do not.
   */
  private async sweep(): Promise<void> {
    const list = this.options.ami.coreShowChannels;
    if (!list || this.stopped || this.state.liveCalls.size === 0) return;
    try {
      // Calls requested after the list was asked for cannot be on it: only those live before count.
      const before = this.liveCallIds();
      this.pendingSweep = { channels: await list.call(this.options.ami), before };
    } catch (error) {
      this.options.logger?.debug({ error: error instanceof Error ? error.message : String(error) }, 'channel sweep skipped');
    }
  }

  /**
   * Follows the log from the fold's position. A failed subscription is opened again after a
   * second from where the fold stands; evolveDialer ignores anything already applied.
   */
  private async follow(): Promise<void> {
    while (!this.stopped) {
      const subscription = this.options.eventStore.subscribeToAll(this.state.position !== undefined ? { after: this.state.position } : {});
      this.subscription = subscription;
      try {
        for await (const event of subscription) this.apply(event);
      } catch (error) {
        if (!this.stopped) this.options.logger?.error({ error: error instanceof Error ? error.message : String(error) }, 'dialer subscription failed: resubscribing');
      }
      await subscription.close().catch(() => undefined);
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  private apply(event: RecordedEvent): void {
    this.state = evolveDialer(this.state, event);
    if (event.type !== 'CampaignCompleted') return;
    const campaignId = (event.data as { campaignId?: string }).campaignId;
    const campaign = campaignId === undefined ? undefined : this.state.campaigns.get(campaignId);
    const waiting = campaignId === undefined ? undefined : this.waiters.get(campaignId);
    if (!campaign || !waiting) return;
    this.waiters.delete(campaign.campaignId);
    const summary = summaryOf(campaign);
    for (const resolve of waiting) resolve(summary);
  }

  private tick(): void {
    if (this.stopped || this.ticking) return;
    if ((this.state.position ?? 0n) < this.mustReach) return;
    this.ticking = this.plan()
      .catch((error: unknown) => this.options.logger?.error({ error: error instanceof Error ? error.message : String(error) }, 'dialer tick failed'))
      .finally(() => (this.ticking = undefined));
  }

  private async plan(): Promise<void> {
    const now = this.options.clock.now();
    const decisions: Decision[] = [];
    const graceSeconds = this.options.reconcileGraceSeconds ?? 10;
    if (this.pendingReconcile) {
      const { channels, before } = this.pendingReconcile;
      const onPbx = this.onPbx(channels);
      const closing = reconcile(this.state, onPbx, now, { graceSeconds }).filter((d) => before.has(d.callId) && !this.actions.isOriginating(d.callId));
      decisions.push(...closing);
      this.pendingReconcile = undefined;
      // Calls in doubt that were too young to judge (or still originating) must be judged later,
      // or a campaign could wait forever for an end that was lost with the connection.
      const closed = new Set(closing.map((d) => d.callId));
      const undecided = [...before].filter((id) => this.state.liveCalls.has(id) && !onPbx.has(id) && !closed.has(id));
      this.recheckAt = undecided.length > 0 ? new Date(now.getTime() + graceSeconds * 1000) : undefined;
    } else if (this.recheckAt && now >= this.recheckAt) {
      this.recheckAt = undefined;
      void this.reconcileAtStart();
    }
    if (this.pendingSweep) {
      // Only calls still awaiting their end: one the ingest saw end (or forgot as ended) has its
      // Hangup queued for the log, however far the fold trails.
      const { tracker } = this.options.ingest;
      const { channels, before } = this.pendingSweep;
      const awaited = (callId: string) => {
        const tracked = tracker.call(callId);
        return before.has(callId) && tracked !== undefined && !tracked.ended && !this.actions.isOriginating(callId);
      };
      const missing = reconcile(this.state, this.onPbx(channels), now, { graceSeconds }).filter((d) => awaited(d.callId));
      decisions.push(...missing.filter((d) => this.suspects.has(d.callId)));
      this.suspects = new Set(missing.filter((d) => !this.suspects.has(d.callId)).map((d) => d.callId));
      this.pendingSweep = undefined;
    }
    const plan = planDialing(this.state, now, this.limits, {
      callIdFor: this.callIdFor,
      doNotCall: this.options.doNotCall ?? new Set(),
      buckets: this.buckets ?? this.startingBuckets(now),
    });
    this.buckets = plan.buckets;
    decisions.push(...plan.decisions);
    if (decisions.length === 0) return;
    const outcomes = await Promise.all(decisions.map((decision) => this.actions.record(decision)));
    for (const { sending } of outcomes) if (sending) this.track(sending);
    this.mustReach = await this.options.eventStore.headPosition();
  }

  /**
   * A (re)start gives each trunk one token, not the full bucket planDialing assumes for a trunk it
   * has no bucket for: a full bucket lets the first second dial the burst plus the refill — twice
   * the trunk's calls per second with the default burst, over a carrier's limit, and 1.7 % over
   * the rate across a whole minute at 50/s (BENCHMARKS.md, originate rate). The bucket still fills
   * up to its burst while planning stalls, so a stall costs no calls.
   */
  private startingBuckets(now: Date): TrunkBuckets {
    const trunks = new Set([...knownTrunks(this.options.originationConfig.routes), ...Object.keys(this.limits.trunks ?? {})]);
    // refill() caps the token at the trunk's capacity, so a stopped trunk (0 calls/s) still dials nothing.
    const bucket: TokenBucket = { tokens: 1, atMs: now.getTime() };
    return new Map([...trunks].map((trunk) => [trunk, bucket]));
  }

  /**
   * The live calls a channel list shows: by SIREN_CALL_ID, or by Uniqueid = the ChannelId we sent
   * (a channel listed before Asterisk applied the Originate's variables shows no SIREN_CALL_ID).
   */
  private onPbx(channels: readonly AmiEvent[]): Set<string> {
    const ids = sirenCallIds(channels);
    const uniqueIds = new Set(channels.map((c) => c.uniqueid).filter((u): u is string => u !== undefined));
    for (const callId of this.state.liveCalls.keys()) if (uniqueIds.has(channelIdFor(callId))) ids.add(callId);
    return ids;
  }

  private liveCallIds(): ReadonlySet<string> {
    return new Set(this.state.liveCalls.keys());
  }

  private track(sending: Promise<void>): void {
    const settled = sending.catch((error: unknown) =>
      this.options.logger?.error({ error: error instanceof Error ? error.message : String(error) }, 'dialer action failed'),
    );
    this.sending.add(settled);
    void settled.then(() => this.sending.delete(settled));
  }
}

function sirenCallIds(channels: readonly AmiEvent[]): Set<string> {
  const ids = new Set<string>();
  for (const channel of channels) {
    const callId = channel['chanvariable.SIREN_CALL_ID'];
    if (typeof callId === 'string' && callId !== '') ids.add(callId);
  }
  return ids;
}
