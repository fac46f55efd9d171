import { type AmiEvent, normaliseAmiMessage } from '../../../src/telephony/ami/ami-fields';
import type { AmiHeader, AmiMessage } from '../../../src/telephony/simulator/ami-frame';

/**
 * Realistic AMI frames, header for header as Asterisk 22 (and the simulator) writes them, and the
 * conversion AmiClient applies before `onEvent`, so unit tests and the benchmark see the exact
 * shape production code sees.
 */

/** What asterisk-manager does to a frame (lower-cased keys, `chanvariable` as an object, repeats as arrays), then AmiClient's normalisation. */
export function toAmiEvent(message: AmiMessage): AmiEvent {
  const raw: Record<string, unknown> = {};
  for (const [name, value] of message) {
    const key = lowerCase(name);
    if (key === 'variable' || key === 'chanvariable') {
      const eq = value.indexOf('=');
      const vars = (raw[key] ??= {}) as Record<string, string>;
      vars[eq < 0 ? value : value.slice(0, eq)] = eq < 0 ? '' : value.slice(eq + 1);
      continue;
    }
    const previous = raw[key];
    if (previous === undefined) raw[key] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else raw[key] = [previous, value];
  }
  return normaliseAmiMessage(raw);
}

// Header names come from a small set; lower-casing each once keeps the benchmark about translation.
const LOWER = new Map<string, string>();
function lowerCase(name: string): string {
  let lower = LOWER.get(name);
  if (lower === undefined) {
    lower = name.trim().toLowerCase();
    if (LOWER.size < 10_000) LOWER.set(name, lower);
  }
  return lower;
}

export interface Chan {
  name: string;
  uniqueid: string;
  linkedid?: string;
  /** SIREN_CALL_ID once the Originate's variables are applied; '' on Newchannel. */
  callId?: string;
  state?: 'Down' | 'Ringing' | 'Up';
}

const STATE_CODES = { Down: '0', Ringing: '5', Up: '6' } as const;
const CHANNEL_VARS = ['SIREN_CALL_ID', 'SIREN_CAMPAIGN_ID', 'SIREN_TRACKING_ID', 'SIREN_AGENT_ID'];

/** ast_manager_build_channel_state_string, with manager.conf channelvars; `Dest` for dial events. */
export function snapshot(chan: Chan, prefix = '', varsApplied = true): AmiHeader[] {
  const state = chan.state ?? 'Down';
  const vars: Record<string, string> = varsApplied && chan.callId ? { SIREN_CALL_ID: chan.callId, SIREN_CAMPAIGN_ID: 'camp-1', SIREN_TRACKING_ID: 'JKD1.7' } : {};
  return [
    [`${prefix}Channel`, chan.name],
    [`${prefix}ChannelState`, STATE_CODES[state]],
    [`${prefix}ChannelStateDesc`, state],
    [`${prefix}CallerIDNum`, '15550001'],
    [`${prefix}CallerIDName`, 'Siren'],
    [`${prefix}ConnectedLineNum`, '<unknown>'],
    [`${prefix}ConnectedLineName`, '<unknown>'],
    [`${prefix}Language`, 'en'],
    [`${prefix}AccountCode`, ''],
    [`${prefix}Context`, 'siren-autodial'],
    [`${prefix}Exten`, '15550100'],
    [`${prefix}Priority`, '1'],
    [`${prefix}Uniqueid`, chan.uniqueid],
    [`${prefix}Linkedid`, chan.linkedid ?? chan.uniqueid],
    ...CHANNEL_VARS.map((name): AmiHeader => [`${prefix}ChanVariable`, `${name}=${vars[name] ?? ''}`]),
  ];
}

const event = (name: string, privilege: string, body: AmiHeader[]): AmiMessage => [['Event', name], ['Privilege', privilege], ...body];

export const frames = {
  newchannel: (chan: Chan) => event('Newchannel', 'call,all', snapshot({ ...chan, state: 'Down' }, '', false)),
  dialBegin: (chan: Chan) => event('DialBegin', 'call,all', [...snapshot(chan, 'Dest'), ['DialString', '15550100@trunk-a']]),
  newstate: (chan: Chan, state: 'Ringing' | 'Up') => event('Newstate', 'call,all', snapshot({ ...chan, state })),
  dialEnd: (chan: Chan, status: string) => event('DialEnd', 'call,all', [...snapshot(chan, 'Dest'), ['DialStatus', status]]),
  dtmfEnd: (chan: Chan, digit: string, direction = 'Received') =>
    event('DTMFEnd', 'dtmf,all', [...snapshot({ ...chan, state: 'Up' }), ['Digit', digit], ['DurationMs', '120'], ['Direction', direction]]),
  userEvent: (chan: Chan, name: string, fields: AmiHeader[]) =>
    event('UserEvent', 'user,all', [
      ...snapshot({ ...chan, state: 'Up' }),
      ['UserEvent', name],
      ...(chan.callId ? [['SIREN_CALL_ID', chan.callId] as AmiHeader] : []),
      ...fields,
    ]),
  autoDialResponse: (chan: Chan, digit: string) =>
    frames.userEvent(chan, 'AutoDialResponse', [['Digit', digit], ['PressedOne', digit === '1' ? 'Yes' : 'No']]),
  amd: (chan: Chan, status: string, cause: string) => frames.userEvent(chan, 'AMDResult', [['AMDSTATUS', status], ['AMDCAUSE', cause]]),
  hangup: (chan: Chan, cause: number, text = 'Normal Clearing') =>
    event('Hangup', 'call,all', [...snapshot(chan), ['Cause', String(cause)], ['Cause-txt', text]]),
  originateSuccess: (chan: Chan, actionId?: string) =>
    event('OriginateResponse', 'call,all', [
      ...(actionId ? [['ActionID', actionId] as AmiHeader] : []),
      ['Response', 'Success'],
      ['Channel', chan.name],
      ['Context', 'siren-autodial'],
      ['Exten', '15550100'],
      ['Reason', '4'],
      ['Uniqueid', chan.uniqueid],
      ['CallerIDNum', '15550001'],
      ['CallerIDName', 'Siren'],
      [`ChanVariable(${chan.name})`, `SIREN_CALL_ID=${chan.callId ?? ''}`],
    ]),
  /** A failure names the dial string as Channel and the ChannelId (or `<unknown>`) as Uniqueid. */
  originateFailure: (reason: number, uniqueid: string, actionId?: string) =>
    event('OriginateResponse', 'call,all', [
      ...(actionId ? [['ActionID', actionId] as AmiHeader] : []),
      ['Response', 'Failure'],
      ['Channel', 'PJSIP/15550100@trunk-a'],
      ['Context', 'siren-autodial'],
      ['Exten', '15550100'],
      ['Reason', String(reason)],
      ['Uniqueid', uniqueid],
      ['CallerIDNum', '15550001'],
      ['CallerIDName', 'Siren'],
    ]),
};
