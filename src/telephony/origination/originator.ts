import type { Logger } from 'pino';
import type { OriginateParams } from '../ami/ami-actions';
import { maskDigits } from '../ami/ami-client';
import { AmiActionError, AmiNotConnectedError } from '../ami/ami-errors';
import type { AmiResponse } from '../ami/ami-fields';
import { type AgentLine, type BuildOptions, type CallToDial, buildAgentFirstOriginate, buildAutodialOriginate, callTrunkOrder, nextTrunkAfter } from './originate-params';
import type { OriginationConfig } from './telephony.config';

/** What the Originator needs of AmiClient. */
export interface OriginateClient {
  originate(params: OriginateParams, options?: { timeoutMs?: number }): Promise<AmiResponse>;
}

export interface OriginateRequest extends BuildOptions {
  /** Required for agent-first calls. */
  agent?: AgentLine;
}

interface Sent {
  callId: string;
  trunk: string;
  /** The dial string (Originate Channel). */
  channel: string;
  /** Uniqueid of the dialed channel (and of a failed OriginateResponse). */
  channelId: string;
  params: OriginateParams;
}

/**
 * What became of one Originate action. Only the first two are safe to act on without looking:
 * - `queued`   Asterisk accepted it; the outcome comes as OriginateResponse / Hangup events
 *              (Uniqueid = channelId). On a carrier failure there (`isCarrierFailure`) the saga may
 *              request a new call on `nextTrunk`.
 * - `refused`  `Response: Error`: nothing was dialed, so this same call may be sent again, e.g.
 *              on `nextTrunk` (pass `{ trunk }`; CallOriginated records the trunk used).
 * - `not-sent` not connected: nothing was written. The same call may be sent once connected.
 * - `unknown`  timeout or connection lost while waiting: Asterisk may be dialing the number right
 *              now. NEVER originate again for this call: reconcile (the channel list of
 *              `onConnected`, events carrying this channelId / SIREN_CALL_ID) or give up on it.
 */
export type OriginateResult =
  | (Sent & { status: 'queued'; actionId: string; response: AmiResponse })
  | (Sent & { status: 'refused'; reason: string; error: AmiActionError })
  | (Sent & { status: 'not-sent'; reason: string; error: AmiNotConnectedError })
  | (Sent & { status: 'unknown'; reason: string; error: unknown });

/**
 * Turns a call into exactly one Originate action and reports what became of it (M5).
 *
 * !!! It never re-sends, on any outcome, and holds no queue. !!!
 * An Originate sent twice dials the number twice. Whether to try another trunk (after `refused`,
 * or a carrier-failure OriginateResponse) or wait and retry (`not-sent`) is the saga's decision,
 * made from the event log; after `unknown` (timeout, connection lost) the attempt is in doubt and
 * must be reconciled with Asterisk, not repeated. Invalid or hostile input (AmiInjectionError,
 * OriginationError) throws before anything is sent.
 */
export class Originator {
  constructor(
    private readonly client: OriginateClient,
    private readonly config: OriginationConfig,
    private readonly options: { logger?: Logger; actionTimeoutMs?: number } = {},
  ) {}

  /** The Originate this call would send, built and checked, without sending it. */
  plan(call: CallToDial, request: OriginateRequest = {}): OriginateParams {
    if (call.kind === 'agent-first') {
      if (request.agent === undefined) return buildAgentFirstOriginate(call, { agentId: call.agentId }, this.config, request);
      return buildAgentFirstOriginate(call, request.agent, this.config, request);
    }
    return buildAutodialOriginate(call, this.config, request);
  }

  async originate(call: CallToDial, request: OriginateRequest = {}): Promise<OriginateResult> {
    const params = this.plan(call, request);
    const trunk = request.trunk ?? this.firstTrunk(call);
    const sent: Sent = { callId: call.callId, trunk, channel: params.channel, channelId: params.channelId, params };
    const log = { callId: call.callId, trunk, channelId: params.channelId, channel: maskDigits(params.channel) };
    try {
      const timeout = this.options.actionTimeoutMs !== undefined ? { timeoutMs: this.options.actionTimeoutMs } : {};
      const response = await this.client.originate(params, timeout);
      return { ...sent, status: 'queued', actionId: response.actionid ?? '', response };
    } catch (error) {
      if (error instanceof AmiActionError) {
        this.options.logger?.warn({ ...log, message: error.response.message }, 'Originate refused');
        return { ...sent, status: 'refused', reason: error.response.message ?? error.message, error };
      }
      if (error instanceof AmiNotConnectedError) return { ...sent, status: 'not-sent', reason: error.message, error };
      const reason = error instanceof Error ? error.message : String(error);
      this.options.logger?.error({ ...log, error: reason }, 'Originate outcome unknown: reconcile, do not re-send');
      return { ...sent, status: 'unknown', reason, error };
    }
  }

  /** Every trunk this call may use, in the order to try them. */
  trunkOrder(call: Pick<CallToDial, 'callId' | 'route' | 'trunk'>): string[] {
    return callTrunkOrder(call, this.config);
  }

  firstTrunk(call: Pick<CallToDial, 'callId' | 'route' | 'trunk'>): string {
    return callTrunkOrder(call, this.config)[0]!;
  }

  /**
   * The trunk for the saga's *next call* after a refusal or carrier failure on `failedTrunks` (all
   * that failed in this chain); undefined when none is left. Never re-originate the same call id:
   * it was dialed once already (see README.md, "Failover").
   */
  nextTrunk(call: Pick<CallToDial, 'callId' | 'route' | 'trunk'>, failedTrunks: string | readonly string[]): string | undefined {
    return nextTrunkAfter(call, this.config, failedTrunks);
  }
}
