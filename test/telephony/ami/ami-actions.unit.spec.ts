import { hangupAction, muteAudioAction, originateAction, redirectAction } from '../../../src/telephony/ami/ami-actions';
import { AmiInvalidActionError } from '../../../src/telephony/ami/ami-errors';

const base = {
  channel: 'PJSIP/15550100@trunk', context: 'siren-autodial', exten: 's', priority: 1, timeoutMs: 30_000,
  channelId: 'call-1.1', variables: {}, async: true as const,
};

describe('AMI action builders', () => {
  it('always sends ChannelId and Async with an Originate', () => {
    expect(originateAction(base)).toMatchObject({ Action: 'Originate', ChannelId: 'call-1.1', Async: 'true', Timeout: 30_000 });
  });

  it.each([
    ['no channel id', { channelId: '' }],
    ['over-long channel id', { channelId: 'x'.repeat(150) }],
    ['no channel', { channel: ' ' }],
    ['bad priority', { priority: 0 }],
    ['bad timeout', { timeoutMs: 1.5 }],
    ['synchronous', { async: false as unknown as true }],
  ])('refuses an Originate with %s', (_what, overrides) => {
    expect(() => originateAction({ ...base, ...overrides })).toThrow(AmiInvalidActionError);
  });

  it('builds Hangup, Redirect and MuteAudio', () => {
    expect(hangupAction('PJSIP/x-1', 17)).toEqual({ Action: 'Hangup', Channel: 'PJSIP/x-1', Cause: 17 });
    expect(() => hangupAction('PJSIP/x-1', -1)).toThrow(AmiInvalidActionError);
    expect(redirectAction({ channel: 'PJSIP/x-1', context: 'siren-hold', exten: 's', priority: 1 })).toMatchObject({ Action: 'Redirect', Context: 'siren-hold' });
    expect(muteAudioAction('PJSIP/x-1', 'in', true)).toEqual({ Action: 'MuteAudio', Channel: 'PJSIP/x-1', Direction: 'in', State: 'on' });
    expect(() => muteAudioAction('PJSIP/x-1', 'up' as 'in', true)).toThrow(AmiInvalidActionError);
  });
});
