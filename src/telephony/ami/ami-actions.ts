import { AmiInvalidActionError } from './ami-errors';
import type { AmiAction } from './ami-values';

/** AST_MAX_PUBLIC_UNIQUEID: Asterisk refuses a longer ChannelId before dialing. */
const MAX_CHANNEL_ID = 149;

export interface OriginateParams {
  /** Dial string, e.g. `PJSIP/15550100@trunk`. */
  channel: string;
  context: string;
  exten: string;
  priority: number;
  /** `"Name" <number>` or a bare number. */
  callerId?: string;
  /** How long the far end may ring (Originate `Timeout`, ms). */
  timeoutMs: number;
  /**
   * Pre-assigned Uniqueid of the dialed channel. Always sent: a failed OriginateResponse names no
   * real channel, only this id, so without it a failure cannot be matched to its call.
   */
  channelId: string;
  /** Uniqueid of the local `;2` half, when dialing a Local channel. */
  otherChannelId?: string;
  /** Channel variables; prefix with `__` to have them inherited (SIREN_* ids). */
  variables: Readonly<Record<string, string>>;
  /** Siren only originates asynchronously: the result comes as an OriginateResponse event. */
  async: true;
}

export function originateAction(params: OriginateParams): AmiAction {
  required('Originate', { channel: params.channel, context: params.context, exten: params.exten, channelId: params.channelId });
  if (params.channelId.length > MAX_CHANNEL_ID) throw new AmiInvalidActionError(`Originate channelId longer than ${MAX_CHANNEL_ID}`);
  if (params.otherChannelId !== undefined && params.otherChannelId.length > MAX_CHANNEL_ID) {
    throw new AmiInvalidActionError(`Originate otherChannelId longer than ${MAX_CHANNEL_ID}`);
  }
  if (!Number.isInteger(params.priority) || params.priority < 1) throw new AmiInvalidActionError('Originate priority must be a positive integer');
  if (!Number.isInteger(params.timeoutMs) || params.timeoutMs <= 0) throw new AmiInvalidActionError('Originate timeoutMs must be a positive integer');
  if (params.async !== true) throw new AmiInvalidActionError('Originate must be asynchronous');
  return {
    Action: 'Originate',
    Channel: params.channel,
    Context: params.context,
    Exten: params.exten,
    Priority: params.priority,
    CallerID: params.callerId,
    Timeout: params.timeoutMs,
    ChannelId: params.channelId,
    OtherChannelId: params.otherChannelId,
    Async: 'true',
    Variable: params.variables,
  };
}

/** Hangup; `cause` is a Q.850 cause (16 normal clearing when left out). */
export function hangupAction(channel: string, cause?: number): AmiAction {
  required('Hangup', { channel });
  if (cause !== undefined && (!Number.isInteger(cause) || cause < 0)) throw new AmiInvalidActionError('Hangup cause must be a non-negative integer');
  return { Action: 'Hangup', Channel: channel, Cause: cause };
}

export interface RedirectParams {
  channel: string;
  context: string;
  exten: string;
  priority: number;
  /** Moves a second channel (the other leg of a bridge) along with the first. */
  extraChannel?: string;
  extraContext?: string;
  extraExten?: string;
  extraPriority?: number;
}

export function redirectAction(params: RedirectParams): AmiAction {
  required('Redirect', { channel: params.channel, context: params.context, exten: params.exten });
  if (!Number.isInteger(params.priority) || params.priority < 1) throw new AmiInvalidActionError('Redirect priority must be a positive integer');
  return {
    Action: 'Redirect',
    Channel: params.channel,
    Context: params.context,
    Exten: params.exten,
    Priority: params.priority,
    ExtraChannel: params.extraChannel,
    ExtraContext: params.extraContext,
    ExtraExten: params.extraExten,
    ExtraPriority: params.extraPriority,
  };
}

export type MuteDirection = 'in' | 'out' | 'all';

/** MuteAudio (res_mutestream): `in` is what the channel says, `out` what it hears. */
export function muteAudioAction(channel: string, direction: MuteDirection, muted: boolean): AmiAction {
  required('MuteAudio', { channel });
  if (!['in', 'out', 'all'].includes(direction)) throw new AmiInvalidActionError('MuteAudio direction must be in, out or all');
  return { Action: 'MuteAudio', Channel: channel, Direction: direction, State: muted ? 'on' : 'off' };
}

function required(action: string, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== 'string' || value.trim() === '') throw new AmiInvalidActionError(`${action} ${name} is required`);
  }
}
