import type { AmiHeader } from './ami-frame';
import { ChannelState, type ChannelStateName } from './hangup-causes';

/** A live simulated channel: the one leg an Originate creates toward the dialed number. */
export interface SimChannel {
  name: string;
  uniqueid: string;
  linkedid: string;
  /** Tech/resource as given in the Originate, e.g. `PJSIP/15551230@trunk`. */
  dialString: string;
  state: ChannelStateName;
  callerIdNum: string;
  callerIdName: string;
  context: string;
  exten: string;
  priority: number;
  application: string;
  applicationData: string;
  /** Channel variables by name without the `_`/`__` inheritance prefix, as ${NAME} reads them. */
  variables: Map<string, string>;
  /** Variables the dialplan has set by now; before that, channelvars show empty (see snapshotHeaders). */
  variablesApplied: boolean;
  mute: { in: boolean; out: boolean };
  createdAtMs: number;
}

/** Asterisk strips the `_`/`__` inheritance markers when a variable is read. */
export function variableName(name: string): string {
  return name.replace(/^_{1,2}/, '');
}

/** `KEY=value` from an Originate `Variable:` header; the value may itself contain '='. */
export function parseVariable(assignment: string): [string, string] | undefined {
  const eq = assignment.indexOf('=');
  if (eq <= 0) return undefined;
  return [variableName(assignment.slice(0, eq).trim()), assignment.slice(eq + 1)];
}

/**
 * `PJSIP/15551230@trunk` → `PJSIP/trunk-0000002a`: Asterisk names the channel after the endpoint,
 * with a hex sequence number, not after the number dialed.
 */
export function channelNameFor(dialString: string, sequence: number): string {
  const slash = dialString.indexOf('/');
  const tech = dialString.slice(0, slash);
  const resource = dialString.slice(slash + 1);
  const at = resource.lastIndexOf('@');
  const endpoint = at >= 0 ? resource.slice(at + 1) : resource;
  const suffix = sequence.toString(16).padStart(8, '0');
  return tech.toLowerCase() === 'local' ? `Local/${resource}-${suffix};1` : `${tech}/${endpoint}-${suffix}`;
}

/** The number being called: the resource before `@`, or the Exten when the resource has no digits. */
export function dialedNumber(dialString: string, exten: string): string {
  const resource = dialString.slice(dialString.indexOf('/') + 1);
  const number = resource.split('@')[0] ?? '';
  return /\d/.test(number) ? number : exten;
}

/**
 * The channel part of an event, in the order Asterisk's ast_manager_build_channel_state_string
 * writes it; `prefix` is `Dest` for the callee half of Dial events. Configured channelvars
 * follow as `ChanVariable: NAME=value`, empty while the variable is not (yet) set.
 */
export function snapshotHeaders(channel: SimChannel, channelVars: readonly string[], prefix = ''): AmiHeader[] {
  const state = ChannelState[channel.state];
  const out: AmiHeader[] = [
    [`${prefix}Channel`, channel.name],
    [`${prefix}ChannelState`, String(state.code)],
    [`${prefix}ChannelStateDesc`, state.desc],
    [`${prefix}CallerIDNum`, channel.callerIdNum || '<unknown>'],
    [`${prefix}CallerIDName`, channel.callerIdName || '<unknown>'],
    [`${prefix}ConnectedLineNum`, '<unknown>'],
    [`${prefix}ConnectedLineName`, '<unknown>'],
    [`${prefix}Language`, 'en'],
    [`${prefix}AccountCode`, ''],
    [`${prefix}Context`, channel.context],
    [`${prefix}Exten`, channel.exten],
    [`${prefix}Priority`, String(channel.priority)],
    [`${prefix}Uniqueid`, channel.uniqueid],
    [`${prefix}Linkedid`, channel.linkedid],
  ];
  for (const name of channelVars) {
    const value = channel.variablesApplied ? (channel.variables.get(name) ?? '') : '';
    out.push([`${prefix}ChanVariable`, `${name}=${value}`]);
  }
  return out;
}

/** `HH:MM:SS`, as CoreShowChannel's Duration. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(whole / 3600))}:${pad(Math.floor((whole % 3600) / 60))}:${pad(whole % 60)}`;
}
