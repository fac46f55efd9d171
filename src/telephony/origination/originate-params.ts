import type { CallRequested } from '../../calls/call.events';
import { type OriginateParams, originateAction } from '../ami/ami-actions';
import { assertSafeAmiValue, assertSafeVariable, toSafeAmiRequest } from '../ami/ami-values';
import { channelIdFor } from './call-ids';
import { dialNumber, dialString } from './dial-string';
import { OriginationError } from './origination-errors';
import { trunkOrder } from './routes';
import type { OriginationConfig } from './telephony.config';

/** What origination needs of a CallRequested event (its data, or the saga's copy of it). */
export type CallToDial = Pick<CallRequested['data'], 'callId' | 'agentId' | 'phone' | 'trackingId' | 'kind'> &
  Partial<Pick<CallRequested['data'], 'campaignId' | 'route' | 'trunk' | 'callerId'>>;

/** The agent's side of an agent-first call, from the agent's stream. */
export interface AgentLine {
  agentId: string;
  /** The registered phone (E.164) that rings first. */
  phone?: string;
  /** The caller ID of the agent's manual calls (E.164). */
  manualCallerId?: string;
}

export interface BuildOptions {
  /** The trunk to go out on; by default the first of the call's order (`callTrunkOrder`). */
  trunk?: string;
  /** Overrides SIREN_AMD for this call. */
  amd?: boolean;
  /** Overrides SIREN_PROMPT for this call. */
  prompt?: string;
}

/**
 * The order in which this call tries trunks: the call's own trunk first when CallRequested names
 * one, then its route's weighted order seeded by the call id (deterministic across restarts).
 */
export function callTrunkOrder(call: Pick<CallToDial, 'callId' | 'route' | 'trunk'>, config: OriginationConfig): string[] {
  const order = trunkOrder(call.route ?? config.defaultRoute, config.routes, call.callId);
  if (call.trunk === undefined) return order;
  const known = [...config.routes.values()].some((trunks) => trunks.some((t) => t.trunk === call.trunk));
  if (!known) throw new OriginationError('UNKNOWN_TRUNK', `trunk ${JSON.stringify(call.trunk)} is in no route (SIREN_ROUTES)`, { trunk: call.trunk });
  return [call.trunk, ...order.filter((trunk) => trunk !== call.trunk)];
}

/**
 * The trunk for the next call after carrier failures: the first of this call's order not in
 * `failedTrunks` (every trunk that already failed in this failover chain, not only the last);
 * undefined when the route has run out.
 */
export function nextTrunkAfter(
  call: Pick<CallToDial, 'callId' | 'route' | 'trunk'>,
  config: OriginationConfig,
  failedTrunks: string | readonly string[],
): string | undefined {
  const order = callTrunkOrder(call, config);
  const failed = new Set(typeof failedTrunks === 'string' ? [failedTrunks] : failedTrunks);
  for (const trunk of failed) {
    if (!order.includes(trunk)) throw new OriginationError('UNKNOWN_TRUNK', `trunk ${JSON.stringify(trunk)} is not on this call's route`, { trunk, callId: call.callId });
  }
  return order.find((trunk) => !failed.has(trunk));
}

/**
 * `"Name" <number>`, or the bare number without a name. Control characters anywhere are refused
 * (AmiInjectionError). In the name, `"`, `<`, `>`, `\` and `,` are stripped rather than refused: a
 * display name like `Smith, John` is legitimate, but the quotes and brackets would change how
 * Asterisk splits name from number, and a comma must never reach a channel variable.
 */
export function formatCallerId(number: string, name: string | undefined, keepPlus: boolean): string {
  assertSafeAmiValue('callerId', number);
  if (name !== undefined) assertSafeAmiValue('callerIdName', name);
  const digits = dialNumber(number, keepPlus, 'callerId');
  const cleanName = (name ?? '').replace(/["<>\\,]/g, '').replace(/\s+/g, ' ').trim().slice(0, 40);
  return cleanName === '' ? digits : `"${cleanName}" <${digits}>`;
}

/**
 * An auto-dial IVR call: the target is dialed on the trunk and, once it answers, runs
 * SIREN_AUTODIAL_CONTEXT,s,1 (prompt, Read(), UserEvent AutoDialResponse). The caller ID is the
 * call's `callerId`, which the saga copies from the agent's auto-dial caller ID into CallRequested
 * (so the event log records what was presented); none → the trunk's default.
 */
export function buildAutodialOriginate(call: CallToDial, config: OriginationConfig, options: BuildOptions = {}): OriginateParams {
  if (call.kind !== 'autodial') throw new OriginationError('WRONG_CALL_KIND', `call ${call.callId} is ${call.kind}, not autodial`, { callId: call.callId });
  const trunk = chooseTrunk(call, config, options.trunk);
  const variables: Record<string, string> = { ...idVariables(call) };
  if (options.amd ?? config.amd) variables.SIREN_AMD = '1';
  const prompt = options.prompt ?? config.prompt;
  if (prompt !== undefined) variables.SIREN_PROMPT = prompt;
  return checked({
    channel: dialString(templateFor(trunk, config), { prefix: config.dialPrefix, number: guarded('phone', call.phone), trunk, keepPlus: config.keepPlus }),
    context: config.autodialContext,
    exten: 's',
    priority: 1,
    ...(call.callerId !== undefined ? { callerId: formatCallerId(call.callerId, undefined, config.keepPlus) } : {}),
    timeoutMs: config.originateTimeoutMs,
    channelId: channelIdFor(call.callId),
    variables,
    async: true,
  });
}

/**
 * An agent-first call: the agent's registered phone is dialed first (on the same trunk as the
 * target, the agent's phone being an outside number too); when the agent answers it runs
 * SIREN_AGENT_FIRST_CONTEXT,s,1, which dials `${SIREN_TARGET_DIAL}` presenting
 * `${SIREN_TARGET_CALLERID}` and bridges the two. The caller ID is the call's `callerId`, else the
 * agent's manual caller ID; the agent's phone shows it with the tracking id as the name.
 * ChannelId is the agent leg's Uniqueid; the target leg's Uniqueid is Asterisk's, found through
 * the inherited SIREN_CALL_ID.
 */
export function buildAgentFirstOriginate(call: CallToDial, agent: AgentLine, config: OriginationConfig, options: BuildOptions = {}): OriginateParams {
  if (call.kind !== 'agent-first') throw new OriginationError('WRONG_CALL_KIND', `call ${call.callId} is ${call.kind}, not agent-first`, { callId: call.callId });
  if (agent.agentId !== call.agentId) throw new OriginationError('AGENT_MISMATCH', `call ${call.callId} belongs to another agent`, { callId: call.callId });
  if (agent.phone === undefined) throw new OriginationError('AGENT_PHONE_MISSING', `agent ${agent.agentId} has registered no phone`, { agentId: agent.agentId });
  const trunk = chooseTrunk(call, config, options.trunk);
  const template = templateFor(trunk, config);
  const dial = (field: string, number: string) => dialString(template, { prefix: config.dialPrefix, number: guarded(field, number), trunk, keepPlus: config.keepPlus });
  const callerIdNumber = call.callerId ?? agent.manualCallerId;
  const variables: Record<string, string> = { ...idVariables(call), __SIREN_TARGET_DIAL: dial('phone', call.phone) };
  if (callerIdNumber !== undefined) variables.SIREN_TARGET_CALLERID = formatCallerId(callerIdNumber, undefined, config.keepPlus);
  return checked({
    channel: dial('agent.phone', agent.phone),
    context: config.agentFirstContext,
    exten: 's',
    priority: 1,
    ...(callerIdNumber !== undefined ? { callerId: formatCallerId(callerIdNumber, call.trackingId, config.keepPlus) } : {}),
    timeoutMs: config.originateTimeoutMs,
    channelId: channelIdFor(call.callId),
    variables,
    async: true,
  });
}

/** `templateFor(trunk)`: the trunk's own template, else SIREN_DIAL_TEMPLATE. */
export function templateFor(trunk: string, config: OriginationConfig): string {
  return config.trunkTemplates.get(trunk) ?? config.dialTemplate;
}

function chooseTrunk(call: CallToDial, config: OriginationConfig, requested: string | undefined): string {
  for (const [field, value] of [['route', call.route], ['trunk', call.trunk], ['trunk', requested]] as const) {
    if (value !== undefined) assertSafeAmiValue(field, value);
  }
  const order = callTrunkOrder(call, config);
  if (requested === undefined) return order[0]!;
  if (!order.includes(requested)) throw new OriginationError('UNKNOWN_TRUNK', `trunk ${JSON.stringify(requested)} is not on this call's route`, { trunk: requested, callId: call.callId });
  return requested;
}

/** The `__` (always inherited) ids every Siren channel carries, checked up front. */
function idVariables(call: CallToDial): Record<string, string> {
  const variables: Record<string, string> = {
    __SIREN_CALL_ID: call.callId,
    ...(call.campaignId !== undefined ? { __SIREN_CAMPAIGN_ID: call.campaignId } : {}),
    __SIREN_TRACKING_ID: call.trackingId,
    __SIREN_AGENT_ID: call.agentId,
  };
  for (const [name, value] of Object.entries(variables)) {
    assertSafeVariable(name, value);
    if (value.trim() === '') throw new OriginationError('INVALID_DIAL_INPUT', `${name} is empty`, { field: name });
  }
  return variables;
}

function guarded(field: string, value: string): string {
  assertSafeAmiValue(field, value);
  return value;
}

/** Runs the exact checks AmiClient will run (shape, then the injection guard), so nothing bad leaves here. */
function checked(params: OriginateParams): OriginateParams {
  toSafeAmiRequest(originateAction(params));
  return params;
}
