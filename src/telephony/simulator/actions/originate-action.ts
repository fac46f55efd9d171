import { type AmiMessage, header, headers } from '../ami-frame';
import type { OriginateRequest } from '../call-player';
import type { ActionHandler } from './action-context';

/** Asterisk's Originate default when no Timeout is given. */
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Originate. Validation follows Asterisk's action_originate (same messages); then
 * `Originate successfully queued` and the call plays out as events. `Async: false` is answered the
 * same way: Siren always originates asynchronously, so the simulator does not model the blocking form.
 */
export const originate: ActionHandler = (context) => {
  const { session, message, faults, pbx } = context;
  const parsed = parseOriginate(message);
  if (typeof parsed === 'string') return session.error(message, parsed);
  const delayMs = faults.takeOriginateDelay();
  const reply = () => {
    if (faults.takeOriginateFailure()) {
      pbx.noteRefusedOriginate();
      return session.error(message, 'Originate failed');
    }
    session.success(message, 'Originate successfully queued');
    pbx.originate(parsed);
  };
  if (delayMs > 0) context.later(delayMs, reply);
  else reply();
};

/** The request, or the error message Asterisk would answer with. */
export function parseOriginate(message: AmiMessage): OriginateRequest | string {
  const dialString = header(message, 'Channel')?.trim() ?? '';
  if (!dialString) return 'Channel not specified';
  const slash = dialString.indexOf('/');
  if (slash <= 0 || slash === dialString.length - 1) return 'Invalid channel';
  const timeoutText = header(message, 'Timeout')?.trim();
  const timeoutMs = timeoutText ? Number(timeoutText) : DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs)) return 'Invalid timeout';
  const priorityText = header(message, 'Priority')?.trim();
  const priority = priorityText ? Number(priorityText) : 1;
  if (!Number.isInteger(priority)) return 'Invalid priority';
  const channelId = header(message, 'ChannelId')?.trim() || undefined;
  // AST_MAX_PUBLIC_UNIQUEID: longer ids are refused before anything is dialed.
  if (channelId && channelId.length > 149) return 'Uniqueid length exceeds maximum of 149';
  const [callerIdName, callerIdNum] = parseCallerId(header(message, 'CallerID') ?? '');
  return {
    actionId: header(message, 'ActionID'),
    dialString,
    context: header(message, 'Context')?.trim() || 'default',
    exten: header(message, 'Exten')?.trim() || 's',
    priority,
    application: header(message, 'Application')?.trim() ?? '',
    data: header(message, 'Data') ?? '',
    callerIdName,
    callerIdNum,
    timeoutMs: timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MS,
    channelId,
    variables: parseVariables(message),
  };
}

/**
 * Every `Variable:` header; Asterisk also splits each one on ',' (so `A=1,B=2` is two variables),
 * which is why Siren must not put commas in variable values.
 */
function parseVariables(message: AmiMessage): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const value of headers(message, 'Variable')) {
    for (const assignment of value.split(',')) {
      const eq = assignment.indexOf('=');
      if (eq <= 0) continue;
      // Keep the `_`/`__` prefix as given: it says whether the variable is inherited.
      out.push([assignment.slice(0, eq).trim(), assignment.slice(eq + 1)]);
    }
  }
  return out;
}

/** `"Name" <number>`, `Name <number>`, `<number>` or a bare number → [name, number]. */
export function parseCallerId(callerId: string): [string, string] {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(callerId);
  if (match) return [match[1]!.trim(), match[2]!.trim()];
  return ['', callerId.trim()];
}
