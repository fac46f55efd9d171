import { type AmiHeader, header } from '../ami-frame';
import { type SimChannel, formatDuration, snapshotHeaders } from '../channel';
import type { ActionContext, ActionHandler } from './action-context';

/**
 * List actions answer in three parts, each its own message: `Response: Success` with
 * `EventList: start`, one event per item, then `<Name>Complete` with `EventList: Complete` and
 * `ListItems: N`.
 */
function sendList(context: ActionContext, intro: string, complete: string, items: AmiHeader[][], extra: AmiHeader[] = []): void {
  const { session, message } = context;
  const actionId = header(message, 'ActionID');
  const id: AmiHeader[] = actionId !== undefined ? [['ActionID', actionId]] : [];
  session.success(message, intro, [['EventList', 'start']]);
  for (const item of items) session.send(item);
  session.send([['Event', complete], ...id, ['EventList', 'Complete'], ['ListItems', String(items.length)], ...extra]);
}

function secondsAlive(context: ActionContext, channel: SimChannel): number {
  return (context.pbx.clock.nowMs() - channel.createdAtMs) / 1000;
}

export const coreShowChannels: ActionHandler = (context) => {
  const actionId = header(context.message, 'ActionID');
  const items = context.pbx.liveChannels().map((channel): AmiHeader[] => [
    ['Event', 'CoreShowChannel'],
    ...(actionId !== undefined ? [['ActionID', actionId] as AmiHeader] : []),
    ...snapshotHeaders(channel, context.channelVars),
    ['Application', channel.application],
    ['ApplicationData', channel.applicationData],
    ['Duration', formatDuration(secondsAlive(context, channel))],
    ['BridgeId', ''],
  ]);
  sendList(context, 'Channels will follow', 'CoreShowChannelsComplete', items);
};

export const status: ActionHandler = (context) => {
  const { session, message, pbx } = context;
  const wanted = header(message, 'Channel')?.trim();
  const channels = wanted ? [pbx.channel(wanted)].filter((c): c is SimChannel => c !== undefined) : pbx.liveChannels();
  if (wanted && channels.length === 0) return session.error(message, 'No such channel');
  const actionId = header(message, 'ActionID');
  const items = channels.map((channel): AmiHeader[] => [
    ['Event', 'Status'],
    ['Privilege', 'Call'],
    ...(actionId !== undefined ? [['ActionID', actionId] as AmiHeader] : []),
    ...snapshotHeaders(channel, context.channelVars),
    ['Type', channel.name.split('/')[0]!],
    ['DNID', ''],
    ['TimeToHangup', '0'],
    ['BridgeID', ''],
    ['Application', channel.application],
    ['Data', channel.applicationData],
    ['Seconds', String(Math.floor(secondsAlive(context, channel)))],
  ]);
  sendList(context, 'Channel status will follow', 'StatusComplete', items, [['Items', String(items.length)]]);
};
