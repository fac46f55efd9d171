import type { DtmfSource } from '../../calls/call.events';

/** What Siren knew when it sent an Originate; the ids Asterisk will echo back in its events. */
export interface OriginatedCall {
  callId: string;
  /**
   * The pre-assigned Uniqueid of the dialed channel (Originate `ChannelId`). Siren always sends
   * one; without it a failed OriginateResponse says `Uniqueid: <unknown>` and only the ActionID
   * (or SIREN_CALL_ID on later channel events) ties the events to the call.
   */
  channelId?: string;
  /** The Originate's ActionID, once known (OriginateResponse carries it). */
  actionId?: string;
  trunk?: string;
}

/** One call attempt as the translator follows it through its AMI events. */
export interface TrackedCall {
  readonly callId: string;
  readonly channelId?: string;
  trunk?: string;
  /** The customer channel: the one the Originate created (Uniqueid = ChannelId). */
  primary?: { uniqueId: string; channel: string };
  originatedSent: boolean;
  answered: boolean;
  amdSent: boolean;
  /** A RecordHangup or RecordOriginateFailure was emitted: the call is over for us. */
  ended: boolean;
  /** The OriginateResponse arrived (Success or Failure). */
  responded: boolean;
  /** OriginateResponse Failure Reason, kept for a Hangup that arrives later without a useful cause. */
  failureReason?: number;
  /** DialEnd DialStatus of the customer channel. */
  dialStatus?: string;
  /** Presses counted from one source that the other source has not reported yet (see dtmf rule). */
  unmatched: Record<DtmfSource, string[]>;
  /** Every id that points to this call, so forgetting it costs O(its ids), not O(all calls). */
  readonly keys: { uniqueIds: Set<string>; actionIds: Set<string> };
}

/** A channel resolved to its call; `primary` is false for secondary legs (Local halves, agent legs, …). */
export interface ChannelMatch {
  call: TrackedCall;
  primary: boolean;
}

/** The channel part of an event, already read off the right (plain or `Dest`) headers. */
export interface ChannelRef {
  uniqueId?: string;
  linkedId?: string;
  channel?: string;
  /** SIREN_CALL_ID as a channel variable or UserEvent field. */
  callId?: string;
}

const MAX_REMEMBERED_ENDED = 10_000;

/**
 * Pure state (no I/O, no clock): which call each Uniqueid, ChannelId and ActionID belongs to.
 * Siren registers a call with `originated()` before it sends the Originate; events about channels
 * it never registered resolve to nothing and are ignored. A call is forgotten once it has ended
 * and its OriginateResponse is in (or it was answered, whose Success came long before), so the
 * maps stay as large as the calls in flight.
 */
export class ChannelTracker {
  private readonly calls = new Map<string, TrackedCall>();
  private readonly byChannelId = new Map<string, TrackedCall>();
  private readonly byActionId = new Map<string, TrackedCall>();
  private readonly byUniqueId = new Map<string, ChannelMatch>();
  private readonly ended = new Set<string>();

  /**
   * Registers a call Siren is about to dial — before sending the Originate, since its first events
   * can arrive before the Originate's own Response. Calling it again adds what was missing. A call
   * that already ended is not brought back: a fast failure can end it before the Response is in.
   */
  originated({ callId, channelId, actionId, trunk }: OriginatedCall): void {
    if (this.ended.has(callId)) return;
    let call = this.calls.get(callId);
    if (!call) {
      call = {
        callId,
        channelId,
        originatedSent: false,
        answered: false,
        amdSent: false,
        ended: false,
        responded: false,
        unmatched: { dtmf: [], userevent: [] },
        keys: { uniqueIds: new Set(), actionIds: new Set() },
      };
      this.calls.set(callId, call);
      if (channelId !== undefined) this.byChannelId.set(channelId, call);
    }
    if (trunk !== undefined) call.trunk = trunk;
    if (actionId !== undefined) {
      this.byActionId.set(actionId, call);
      call.keys.actionIds.add(actionId);
    }
  }

  /** The ActionID of a call's Originate, once its Response named it; ignored if the call is over. */
  actionSent(callId: string, actionId: string): void {
    const call = this.calls.get(callId);
    if (!call) return;
    this.byActionId.set(actionId, call);
    call.keys.actionIds.add(actionId);
  }

  /** Calls in flight. */
  get size(): number {
    return this.calls.size;
  }

  call(callId: string): TrackedCall | undefined {
    return this.calls.get(callId);
  }

  byAction(actionId: string | undefined): TrackedCall | undefined {
    return actionId === undefined ? undefined : this.byActionId.get(actionId);
  }

  /** The call whose pre-assigned ChannelId this is (a failed OriginateResponse's Uniqueid). */
  byChannel(channelId: string | undefined): TrackedCall | undefined {
    return channelId === undefined ? undefined : this.byChannelId.get(channelId);
  }

  /**
   * Resolves a channel to its call and remembers the answer: by Uniqueid already seen, by the
   * ChannelId Siren sent, by Linkedid (a leg created from a call's channel), or by SIREN_CALL_ID.
   * Newchannel carries no channel variables yet, which is why the ids come first.
   */
  resolve(ref: ChannelRef): ChannelMatch | undefined {
    const { uniqueId } = ref;
    if (!uniqueId) return undefined;
    const known = this.byUniqueId.get(uniqueId);
    if (known) {
      // An event without a Channel header named the call's channel first; the next one that has it completes it.
      if (known.primary && known.call.primary && !known.call.primary.channel && ref.channel) known.call.primary.channel = ref.channel;
      return known;
    }
    const match = this.match(ref, uniqueId);
    if (!match) return undefined;
    this.byUniqueId.set(uniqueId, match);
    match.call.keys.uniqueIds.add(uniqueId);
    if (match.primary && !match.call.primary) match.call.primary = { uniqueId, channel: ref.channel ?? '' };
    return match;
  }

  /** The OriginateResponse Success names the call's channel outright (the only way without a ChannelId). */
  bindPrimary(call: TrackedCall, uniqueId: string, channel: string): void {
    if (call.primary) return;
    call.primary = { uniqueId, channel };
    this.byUniqueId.set(uniqueId, { call, primary: true });
    call.keys.uniqueIds.add(uniqueId);
  }

  /** A secondary leg is gone; the call goes on. */
  dropChannel(uniqueId: string): void {
    this.byUniqueId.get(uniqueId)?.call.keys.uniqueIds.delete(uniqueId);
    this.byUniqueId.delete(uniqueId);
  }

  /** Forgets the call and every id pointing to it once nothing more is expected for it. */
  forgetIfDone(call: TrackedCall): void {
    if (call.ended && (call.responded || call.answered)) this.forget(call.callId);
  }

  /** Drops a call whatever its state, e.g. after the saga reconciled it with Asterisk. */
  forget(callId: string): void {
    const call = this.calls.get(callId);
    if (!call) return;
    this.calls.delete(callId);
    this.rememberEnded(callId);
    if (call.channelId !== undefined) this.byChannelId.delete(call.channelId);
    for (const actionId of call.keys.actionIds) this.byActionId.delete(actionId);
    for (const uniqueId of call.keys.uniqueIds) this.byUniqueId.delete(uniqueId);
  }

  /** The last ids forgotten, so a late registration cannot resurrect them; bounded, oldest out first. */
  private rememberEnded(callId: string): void {
    this.ended.add(callId);
    if (this.ended.size > MAX_REMEMBERED_ENDED) this.ended.delete(this.ended.values().next().value as string);
  }

  private match(ref: ChannelRef, uniqueId: string): ChannelMatch | undefined {
    const byId = this.byChannelId.get(uniqueId);
    if (byId) return { call: byId, primary: true };
    const linked = ref.linkedId ? this.byUniqueId.get(ref.linkedId) : undefined;
    if (linked) return { call: linked.call, primary: false };
    const byVariable = ref.callId ? this.calls.get(ref.callId) : undefined;
    if (!byVariable) return undefined;
    // Without a ChannelId (never sent by Siren, but tolerated) the Originate's own channel is the
    // one that starts its linked group.
    const primary = byVariable.channelId === undefined ? uniqueId === ref.linkedId : uniqueId === byVariable.channelId;
    return { call: byVariable, primary: primary && !byVariable.primary };
  }
}
