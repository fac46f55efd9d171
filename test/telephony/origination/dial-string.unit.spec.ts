import { AmiInjectionError } from '../../../src/telephony/ami/ami-errors';
import { OriginationError, dialNumber, dialString } from '../../../src/telephony/origination';

describe('dialString', () => {
  it('expands the default template: E.164 → digits, prefix before the number', () => {
    expect(dialString('PJSIP/{prefix}{number}@{trunk}', { prefix: '', number: '+15550100', trunk: 'trunk-main' })).toBe('PJSIP/15550100@trunk-main');
    expect(dialString('PJSIP/{prefix}{number}@{trunk}', { prefix: '9', number: '+15550100', trunk: 'carrierA' })).toBe('PJSIP/915550100@carrierA');
  });

  it('keeps the + when asked', () => {
    expect(dialString('PJSIP/{number}@{trunk}', { prefix: '', number: '+15550100', trunk: 't', keepPlus: true })).toBe('PJSIP/+15550100@t');
    expect(dialNumber('+447700900123', true)).toBe('+447700900123');
    expect(dialNumber('+447700900123')).toBe('447700900123');
  });

  it('expands a per-trunk override that leaves the prefix out or hard-codes its own', () => {
    expect(dialString('SIP/{number}@carrierB', { prefix: '9', number: '+15550100', trunk: 'carrierB' })).toBe('SIP/15550100@carrierB');
    expect(dialString('IAX2/user@host/0011{number}', { prefix: '9', number: '+15550100', trunk: 'x' })).toBe('IAX2/user@host/001115550100');
  });

  it.each([
    ['letters', '+1555abc0100'],
    ['empty', ''],
    ['spaces', '+1 555 0100'],
    ['a comma', '+15550100,9'],
  ])('refuses a number with %s as not dialable', (_, number) => {
    expect(() => dialString('PJSIP/{number}@{trunk}', { prefix: '', number, trunk: 't' })).toThrow(OriginationError);
  });

  it('refuses a bad template, prefix or trunk', () => {
    const parts = { prefix: '', number: '+15550100', trunk: 't' };
    expect(() => dialString('PJSIP/{trunk}', parts)).toThrow(expect.objectContaining({ code: 'INVALID_DIAL_INPUT' }));
    expect(() => dialString('PJSIP/{number}@{trunk}', { ...parts, prefix: '9,' })).toThrow(expect.objectContaining({ code: 'INVALID_DIAL_INPUT' }));
    expect(() => dialString('PJSIP/{number}@{trunk}', { ...parts, trunk: 'a@b' })).toThrow(expect.objectContaining({ code: 'INVALID_DIAL_INPUT' }));
  });

  it.each([
    ['number', { prefix: '', number: '+15550100\r\nAction: Originate', trunk: 't' }, 'number'],
    ['prefix', { prefix: '9\r\nAction: Originate', number: '+15550100', trunk: 't' }, 'prefix'],
    ['trunk', { prefix: '', number: '+15550100', trunk: 't\r\n\r\nAction: Originate\r\nChannel: Local/1@x' }, 'trunk'],
  ])('refuses an injection in the %s with AmiInjectionError', (_, parts, field) => {
    expect(() => dialString('PJSIP/{prefix}{number}@{trunk}', parts)).toThrow(AmiInjectionError);
    expect(() => dialString('PJSIP/{prefix}{number}@{trunk}', parts)).toThrow(expect.objectContaining({ code: 'AMI_UNSAFE_VALUE', field }));
  });
});
