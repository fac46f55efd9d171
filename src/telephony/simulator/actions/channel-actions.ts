import { header } from '../ami-frame';
import type { ActionHandler } from './action-context';

/** Hangup: the channel ends with the given Cause (default 16, normal clearing). */
export const hangup: ActionHandler = ({ session, message, pbx }) => {
  const name = header(message, 'Channel')?.trim();
  if (!name) return session.error(message, 'No channel specified');
  const causeText = header(message, 'Cause')?.trim();
  const cause = causeText ? Number(causeText) : 16;
  if (!Number.isInteger(cause) || cause < 0) return session.error(message, 'Invalid cause');
  if (!pbx.channel(name)) return session.error(message, 'No such channel');
  // Asterisk acknowledges first; the Hangup event follows from the channel teardown.
  session.success(message, 'Channel Hungup');
  pbx.hangUp(name, cause);
};

/** Redirect: the channel leaves the IVR for the given dialplan location (e.g. an agent or hold). */
export const redirect: ActionHandler = ({ session, message, pbx }) => {
  const name = header(message, 'Channel')?.trim();
  if (!name) return session.error(message, 'Channel not specified');
  const exten = header(message, 'Exten')?.trim() ?? '';
  const context = header(message, 'Context')?.trim() ?? '';
  const priority = Number(header(message, 'Priority')?.trim() || '1');
  if (!Number.isInteger(priority)) return session.error(message, 'Invalid priority');
  if (!pbx.channel(name)) return session.error(message, `Channel does not exist: ${name}`);
  const extra = header(message, 'ExtraChannel')?.trim();
  if (extra && !pbx.channel(extra)) return session.error(message, `Channel does not exist: ${extra}`);
  pbx.redirect(name, context || pbx.channel(name)!.context, exten || 's', priority);
  if (extra) pbx.redirect(extra, header(message, 'ExtraContext') || context, header(message, 'ExtraExten') || exten, priority);
  session.success(message, 'Redirect successful');
};

/** MuteAudio (res_mutestream): mute what the channel hears (out), says (in), or both. */
export const muteAudio: ActionHandler = ({ session, message, pbx }) => {
  const name = header(message, 'Channel')?.trim();
  const direction = header(message, 'Direction')?.trim().toLowerCase();
  const state = header(message, 'State')?.trim().toLowerCase();
  if (!name) return session.error(message, 'Channel not specified');
  if (!direction) return session.error(message, 'Direction not specified');
  if (!state) return session.error(message, 'State not specified');
  if (!['in', 'out', 'all'].includes(direction)) return session.error(message, 'Invalid direction specified');
  const channel = pbx.channel(name);
  if (!channel) return session.error(message, 'No such channel');
  const on = /^(on|yes|true|1)$/.test(state);
  if (direction !== 'out') channel.mute.in = on;
  if (direction !== 'in') channel.mute.out = on;
  session.success(message);
};
