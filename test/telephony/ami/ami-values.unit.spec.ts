import { AmiInjectionError, AmiInvalidActionError } from '../../../src/telephony/ami/ami-errors';
import { originateAction } from '../../../src/telephony/ami/ami-actions';
import { assertSafeAmiValue, toSafeAmiRequest } from '../../../src/telephony/ami/ami-values';

const INJECTION = '"\r\nAction: Originate\r\nChannel: PJSIP/19005550100@trunk\r\n\r\n';

function refused(run: () => unknown, field: string): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AmiInjectionError);
  expect(caught).toMatchObject({ code: 'AMI_UNSAFE_VALUE', field });
  // The message names the field but never echoes the value (it may be a number or a secret).
  expect((caught as Error).message).not.toMatch(/[\r\n]/);
  expect((caught as Error).message).not.toContain('Channel: PJSIP/19005550100@trunk\r');
}

const originate = (overrides: Partial<Parameters<typeof originateAction>[0]> = {}) =>
  originateAction({
    channel: 'PJSIP/15550100@trunk',
    context: 'siren-autodial',
    exten: 's',
    priority: 1,
    callerId: '"Siren" <15550199>',
    timeoutMs: 30_000,
    channelId: 'call-1.1',
    variables: { __SIREN_CALL_ID: 'call-1', __SIREN_CAMPAIGN_NAME: 'Spring sale' },
    async: true,
    ...overrides,
  });

describe('AMI injection guard', () => {
  it('passes ordinary values through, lower-casing header names for asterisk-manager', () => {
    expect(toSafeAmiRequest(originate())).toEqual({
      action: 'Originate',
      channel: 'PJSIP/15550100@trunk',
      context: 'siren-autodial',
      exten: 's',
      priority: '1',
      callerid: '"Siren" <15550199>',
      timeout: '30000',
      channelid: 'call-1.1',
      async: 'true',
      variable: { __SIREN_CALL_ID: 'call-1', __SIREN_CAMPAIGN_NAME: 'Spring sale' },
    });
  });

  it.each([
    ['caller ID', { callerId: `Sales${INJECTION}` }, 'CallerID'],
    ['dialed number', { channel: `PJSIP/1555${INJECTION}@trunk` }, 'Channel'],
    ['context', { context: `ctx${INJECTION}` }, 'Context'],
    ['exten', { exten: `s${INJECTION}` }, 'Exten'],
    ['channel id', { channelId: `id${INJECTION}` }, 'ChannelId'],
    ['other channel id', { otherChannelId: `id${INJECTION}` }, 'OtherChannelId'],
    ['campaign name variable', { variables: { __SIREN_CAMPAIGN_NAME: `Spring${INJECTION}` } }, 'Variable.__SIREN_CAMPAIGN_NAME'],
    ['variable name', { variables: { [`X${INJECTION}`]: '1' } }, 'Variable.X"??Action: Originate??Channel: PJSIP/19005550100@t'],
  ])('refuses CR/LF in the %s', (_what, overrides, field) => {
    refused(() => toSafeAmiRequest(originate(overrides)), field);
  });

  it.each([
    ['LF', 'a\nb'], ['CR', 'a\rb'], ['NUL', 'a\u0000b'], ['TAB', 'a\tb'], ['ESC', 'a\u001bb'], ['DEL', 'a\u007fb'],
    ['C1 NEL', 'a\u0085b'], ['line separator', 'a\u2028b'],
  ])('refuses %s in any value', (_name, value) => {
    refused(() => assertSafeAmiValue('CallerID', value), 'CallerID');
    refused(() => toSafeAmiRequest({ Action: 'Hangup', Channel: value }), 'Channel');
  });

  it('refuses an injected action name and header names', () => {
    refused(() => toSafeAmiRequest({ Action: `Ping${INJECTION}` }), 'Action');
    refused(() => toSafeAmiRequest({ Action: 'Ping Now' }), 'Action');
    refused(() => toSafeAmiRequest({ Action: 'Ping', [`X${INJECTION}`]: '1' }), 'X"??Action: Originate??Channel: PJSIP/19005550100@trunk????');
    refused(() => toSafeAmiRequest({ Action: 'Ping', 'Bad Name': '1' }), 'Bad Name');
    refused(() => toSafeAmiRequest({ Action: 'Ping', 'Bad:Name': '1' }), 'Bad:Name');
  });

  it('refuses a comma in a variable value, which Asterisk would split into a second variable', () => {
    refused(() => toSafeAmiRequest(originate({ variables: { __SIREN_CAMPAIGN_NAME: 'a,__SIREN_CALL_ID=evil' } })), 'Variable.__SIREN_CAMPAIGN_NAME');
    refused(() => toSafeAmiRequest(originate({ variables: { 'A=B': '1' } })), 'Variable.A=B');
  });

  it('keeps ActionID for the client and refuses a header given twice', () => {
    expect(() => toSafeAmiRequest({ Action: 'Ping', ActionID: 'mine' })).toThrow(AmiInvalidActionError);
    expect(() => toSafeAmiRequest({ Action: 'Hangup', Channel: 'a', channel: 'b' })).toThrow(AmiInvalidActionError);
  });

  it('writes numbers and booleans as text and leaves undefined headers out', () => {
    expect(toSafeAmiRequest({ Action: 'Hangup', Channel: 'PJSIP/x-1', Cause: 17, Extra: undefined, Flag: true })).toEqual({
      action: 'Hangup', channel: 'PJSIP/x-1', cause: '17', flag: 'true',
    });
    expect(() => toSafeAmiRequest({ Action: 'Hangup', Cause: Number.NaN })).toThrow(AmiInvalidActionError);
  });
});
