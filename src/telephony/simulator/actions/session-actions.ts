import { header } from '../ami-frame';
import type { ActionHandler } from './action-context';

/** Asterisk's ast_true / ast_false words, plus event-class lists which mean "on". */
function eventsWanted(mask: string): boolean | undefined {
  const value = mask.trim().toLowerCase();
  if (/^(off|no|false|0|none|n|f)$/.test(value)) return false;
  if (value === '') return undefined;
  return true;
}

/**
 * Wrong credentials: `Authentication failed`, then Asterisk closes the connection. Right ones:
 * `Authentication accepted` followed by FullyBooted.
 */
export const login: ActionHandler = ({ session, message, faults, credentials }) => {
  const username = header(message, 'Username') ?? '';
  const secret = header(message, 'Secret') ?? '';
  const refused = faults.takeLoginRefusal();
  if (refused || username.toLowerCase() !== credentials.username.toLowerCase() || secret !== credentials.secret) {
    session.error(message, 'Authentication failed');
    session.end();
    return;
  }
  session.authenticated = true;
  const events = header(message, 'Events');
  if (events !== undefined) session.eventsOn = eventsWanted(events) ?? true;
  session.success(message, 'Authentication accepted');
  session.sendEvent([
    ['Event', 'FullyBooted'],
    ['Privilege', 'system,all'],
    ['Uptime', String(Math.floor(process.uptime()))],
    ['LastReload', String(Math.floor(process.uptime()))],
    ['Status', 'Fully Booted'],
  ]);
};

export const logoff: ActionHandler = ({ session, message }) => {
  session.respond('Goodbye', message, 'Thanks for all the fish.');
  session.end();
};

/** `Ping: Pong` and the server time as seconds.microseconds. */
export const ping: ActionHandler = ({ session, message }) => {
  const nowMs = Date.now();
  const micros = String((nowMs % 1000) * 1000).padStart(6, '0');
  session.success(message, undefined, [
    ['Ping', 'Pong'],
    ['Timestamp', `${Math.floor(nowMs / 1000)}.${micros}`],
  ]);
};

export const events: ActionHandler = ({ session, message }) => {
  const wanted = eventsWanted(header(message, 'EventMask') ?? '');
  if (wanted === undefined) return session.error(message, 'Invalid event mask');
  session.eventsOn = wanted;
  session.success(message, undefined, [['Events', wanted ? 'On' : 'Off']]);
};
