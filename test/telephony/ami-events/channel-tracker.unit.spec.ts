import { ChannelTracker } from '../../../src/telephony/ami-events/channel-tracker';
import { translateAmiEvent } from '../../../src/telephony/ami-events/translate-ami-event';
import { frames, toAmiEvent } from './ami-frames';

describe('ChannelTracker', () => {
  it('a call that failed before its Originate Response was in is not brought back by a late registration', () => {
    const tracker = new ChannelTracker();
    tracker.originated({ callId: 'c5', channelId: 'uid-c5' });
    // Reason 0 without a channel: the call is over and forgotten at once.
    expect(translateAmiEvent(toAmiEvent(frames.originateFailure(0, 'uid-c5', 'act-5')), tracker)).toHaveLength(1);
    tracker.actionSent('c5', 'act-5');
    tracker.originated({ callId: 'c5', channelId: 'uid-c5', actionId: 'act-5' });
    expect(tracker.size).toBe(0);
  });

  it('forgets every id of a call, and forgets nothing of the others', () => {
    const tracker = new ChannelTracker();
    tracker.originated({ callId: 'a', channelId: 'uid-a', actionId: 'act-a' });
    tracker.originated({ callId: 'b', channelId: 'uid-b', actionId: 'act-b' });
    tracker.resolve({ uniqueId: 'uid-a', channel: 'PJSIP/t-1' });
    tracker.resolve({ uniqueId: 'uid-a2', linkedId: 'uid-a', channel: 'Local/x-1;2' });
    tracker.forget('a');
    expect(tracker.size).toBe(1);
    expect(tracker.byAction('act-a')).toBeUndefined();
    expect(tracker.resolve({ uniqueId: 'uid-a2' })).toBeUndefined();
    expect(tracker.byChannel('uid-b')?.callId).toBe('b');
    expect(tracker.resolve({ uniqueId: 'uid-b', channel: 'PJSIP/t-2' })).toMatchObject({ primary: true, call: { callId: 'b' } });
  });

  it('a leg linked to the call’s channel is a secondary leg of the same call', () => {
    const tracker = new ChannelTracker();
    tracker.originated({ callId: 'a', channelId: 'uid-a' });
    tracker.resolve({ uniqueId: 'uid-a', channel: 'PJSIP/t-1' });
    expect(tracker.resolve({ uniqueId: 'uid-x', linkedId: 'uid-a' })).toMatchObject({ primary: false, call: { callId: 'a' } });
  });
});
