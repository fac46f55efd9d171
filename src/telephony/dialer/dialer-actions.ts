import type { Logger } from 'pino';
import { RecordHangup } from '../../calls/record-hangup/record-hangup.command';
import { RecordOriginateFailure } from '../../calls/record-originate-failure/record-originate-failure.command';
import { RequestCall } from '../../calls/request-call/request-call.command';
import { ScheduleCallRetry } from '../../calls/schedule-call-retry/schedule-call-retry.command';
import { CompleteCampaign } from '../../campaigns/complete-campaign/complete-campaign.command';
import type { EventStore } from '../../eventstore/event-store.port';
import type { SirenCommand } from '../../shared/command';
import { DomainError } from '../../shared/domain-error';
import type { ChannelTracker } from '../ami-events/channel-tracker';
import { campaignCode, channelIdFor, trackingId, uuidV5 } from '../origination/call-ids';
import type { OriginateResult, Originator } from '../origination/originator';
import type {
  CloseUnknownDecision,
  CompleteDecision,
  Decision,
  DialDecision,
  HangupDecision,
  ScheduleRetryDecision,
  SkipDncDecision,
} from '../saga/decisions';
import { dialerStreamId, type ContactSkipped } from '../saga/dialer.events';

/** Runs one command to completion (appended or refused): the CQRS bus in production. */
export type DispatchSirenCommand = (command: SirenCommand<unknown>) => Promise<unknown>;

/** What the dialer needs of AmiClient. */
export interface DialerAmi {
  hangup(channel: string, cause?: number): Promise<unknown>;
}

export interface DialerActionsDeps {
  eventStore: Pick<EventStore, 'append'>;
  dispatch: DispatchSirenCommand;
  ami: DialerAmi;
  originator: Pick<Originator, 'originate'>;
  tracker: ChannelTracker;
  clock: { now(): Date };
  logger?: Logger;
  /** Told of every Originate's result (metrics, tests). */
  onOriginated?: (result: OriginateResult) => void;
}

/**
 * Refusals that only mean the decision was already carried out (a lagging fold, a restart): the
 * deterministic ids make the repeat recognisable, so it is logged at debug and nothing more.
 */
const ALREADY_DONE = new Set([
  'CALL_ALREADY_EXISTS',
  'CALL_ALREADY_HUNG_UP',
  'CALL_ORIGINATE_FAILED',
  'CALL_RETRY_ALREADY_SCHEDULED',
  'CAMPAIGN_CLOSED',
]);

const ACTOR = 'system:saga';
/** Namespace of the dialer's own event ids (fixed for ever: a re-append must be recognised). */
const DIALER_EVENT_NAMESPACE = '5b0e0f5e-3f0c-4b8e-9c53-0a1f2d7c6e41';

/**
 * The adapter half of "the saga decides, the AMI adapter acts": one method per decision kind.
 * `record` resolves once the decision's event is appended (or refused); a dial's Originate runs
 * on after that and is returned as `sending`, so the loop need not wait for the PBX.
 */
export class DialerActions {
  private readonly hungUp = new Set<string>();
  /** Calls whose Originate is on its way: not on the PBX's channel list yet, and not in doubt. */
  private readonly originating = new Set<string>();

  constructor(private readonly deps: DialerActionsDeps) {}

  isOriginating(callId: string): boolean {
    return this.originating.has(callId);
  }

  async record(decision: Decision): Promise<{ sending?: Promise<void> }> {
    switch (decision.kind) {
      case 'dial':
        return this.dial(decision);
      case 'skip-dnc':
        await this.skip(decision);
        return {};
      case 'schedule-retry':
        await this.scheduleRetry(decision);
        return {};
      case 'complete':
        await this.complete(decision);
        return {};
      case 'hangup':
        return { sending: this.hangup(decision) };
      case 'close-unknown':
        await this.closeUnknown(decision);
        return {};
      default: {
        const never: never = decision;
        throw new Error(`unknown decision ${String((never as Decision).kind)}`);
      }
    }
  }

  /** RequestCall is appended BEFORE the Originate: a crash in between leaves a call to reconcile, never a silent dial. */
  private async dial(d: DialDecision): Promise<{ sending?: Promise<void> }> {
    const command = new RequestCall({
      callId: d.callId,
      campaignId: d.campaignId,
      contactId: d.contactId,
      agentId: d.agentId,
      phone: d.phone,
      attempt: d.attempt,
      trackingId: trackingId(campaignCode(d.campaignId), d.sequence, d.attempt),
      kind: 'autodial',
      route: d.route,
      ...(d.trunkHint !== undefined ? { trunk: d.trunkHint } : {}),
      ...(d.callerId !== undefined ? { callerId: d.callerId } : {}),
      meta: { actor: ACTOR },
    });
    if (!(await this.run(command, { callId: d.callId }))) return {};
    return { sending: this.originate(command) };
  }

  private async originate(call: RequestCall): Promise<void> {
    const { tracker, originator, logger } = this.deps;
    const trunk = call.trunk;
    tracker.originated({ callId: call.callId, channelId: channelIdFor(call.callId), ...(trunk !== undefined ? { trunk } : {}) });
    let result: OriginateResult;
    this.originating.add(call.callId);
    try {
      result = await originator.originate(call, trunk !== undefined ? { trunk } : {});
    } catch (error) {
      this.originating.delete(call.callId);
      // Invalid input (injection guard, unknown trunk): nothing was sent, so the call failed.
      tracker.forget(call.callId);
      await this.run(new RecordOriginateFailure({ callId: call.callId, reason: safeReason(error), meta: { actor: ACTOR } }), { callId: call.callId });
      return;
    }
    this.originating.delete(call.callId);
    this.deps.onOriginated?.(result);
    switch (result.status) {
      case 'queued':
        tracker.actionSent(call.callId, result.actionId);
        return;
      case 'refused':
      case 'not-sent':
        // Nothing was dialed: recording the failure lets the campaign's retry policy decide.
        tracker.forget(call.callId);
        await this.run(new RecordOriginateFailure({ callId: call.callId, reason: safeReason(result.reason), meta: { actor: ACTOR } }), { callId: call.callId });
        return;
      case 'unknown':
        logger?.warn({ callId: call.callId, reason: result.reason }, 'Originate outcome unknown: left for reconcile');
        return;
    }
  }

  private async skip(d: SkipDncDecision): Promise<void> {
    const event: ContactSkipped = {
      type: 'ContactSkipped',
      schemaVersion: 1,
      data: { campaignId: d.campaignId, contactId: d.contactId, phone: d.phone, reason: 'do-not-call', at: this.deps.clock.now().toISOString() },
    };
    await this.deps.eventStore.append(
      dialerStreamId(d.campaignId),
      [{ id: uuidV5(DIALER_EVENT_NAMESPACE, JSON.stringify(['skip', d.campaignId, d.contactId])), type: event.type, schemaVersion: 1, data: event.data, metadata: { actor: ACTOR } }],
      { expectedRevision: 'any' },
    );
  }

  private async scheduleRetry(d: ScheduleRetryDecision): Promise<void> {
    await this.run(new ScheduleCallRetry({ callId: d.callId, retryPolicy: d.retryPolicy, meta: { actor: ACTOR } }), { callId: d.callId });
  }

  private async complete(d: CompleteDecision): Promise<void> {
    const command = new CompleteCampaign({ campaignId: d.campaignId, summary: d.summary, meta: { actor: ACTOR } });
    // The operator's (and a supervising test's) only sign of the end short of reading the log.
    if (await this.run(command, { campaignId: d.campaignId })) this.deps.logger?.info({ campaignId: d.campaignId, ...d.summary }, 'campaign completed');
  }

  /** A cancelled campaign's live call: hung up once; its Hangup event then ends it in the log. */
  private async hangup(d: HangupDecision): Promise<void> {
    if (this.hungUp.has(d.callId)) return;
    const channel = this.deps.tracker.call(d.callId)?.primary?.channel;
    if (channel === undefined) return; // no channel yet: the next tick asks again
    this.hungUp.add(d.callId);
    try {
      await this.deps.ami.hangup(channel);
    } catch (error) {
      this.hungUp.delete(d.callId);
      this.deps.logger?.warn({ callId: d.callId, error: safeReason(error) }, 'hangup of a cancelled campaign call failed');
    }
  }

  private async closeUnknown(d: CloseUnknownDecision): Promise<void> {
    this.deps.tracker.forget(d.callId);
    await this.run(new RecordHangup({ callId: d.callId, cause: 0, disposition: 'unknown', meta: { actor: ACTOR } }), { callId: d.callId });
  }

  /** True if the command was carried out; refusals are logged, never thrown into the loop. */
  private async run(command: SirenCommand<unknown>, fields: Record<string, unknown>): Promise<boolean> {
    try {
      await this.deps.dispatch(command);
      return true;
    } catch (error) {
      const code = error instanceof DomainError ? error.code : undefined;
      const log = { command: command.type, ...fields, code, error: safeReason(error) };
      if (code !== undefined && ALREADY_DONE.has(code)) this.deps.logger?.debug(log, 'dialer decision already carried out');
      else this.deps.logger?.error(log, 'dialer command failed');
      return false;
    }
  }
}

/** Reasons go into events (IsSafeText): no control characters, bounded length. */
function safeReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 200);
  return clean === '' ? 'unknown' : clean;
}
