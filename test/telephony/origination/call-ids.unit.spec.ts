import { AmiInjectionError } from '../../../src/telephony/ami/ami-errors';
import { callIdFor, campaignCode, channelIdFor, trackingId, uuidV5 } from '../../../src/telephony/origination';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** RequestCall's own rule for tracking ids. */
const REQUEST_CALL_TRACKING_ID = /^[A-Za-z0-9]{1,16}(\.[0-9]{1,6})?$/;

describe('call ids', () => {
  it('uuidV5 matches the RFC 4122 test vector', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('callIdFor is a deterministic uuid per (campaign, contact, attempt)', () => {
    const id = callIdFor('camp-1', 'contact-7', 1);
    expect(id).toMatch(UUID_V5);
    expect(callIdFor('camp-1', 'contact-7', 1)).toBe(id);
    const others = [callIdFor('camp-1', 'contact-7', 2), callIdFor('camp-1', 'contact-8', 1), callIdFor('camp-2', 'contact-7', 1)];
    expect(new Set([id, ...others]).size).toBe(4);
  });

  it('callIdFor cannot be fooled by separators inside the ids', () => {
    expect(callIdFor('a|b', 'c', 1)).not.toBe(callIdFor('a', 'b|c', 1));
    expect(callIdFor('a","b', 'c', 1)).not.toBe(callIdFor('a', 'b","c', 1));
  });

  it('callIdFor refuses a non-positive attempt', () => {
    expect(() => callIdFor('c', 'k', 0)).toThrow(expect.objectContaining({ code: 'INVALID_DIAL_INPUT' }));
  });

  it("channelIdFor is a deterministic uuid per call, not the call id, within Asterisk's 149 characters", () => {
    const callId = callIdFor('camp-1', 'contact-7', 1);
    const channelId = channelIdFor(callId);
    expect(channelId).toMatch(UUID_V5);
    expect(channelId.length).toBeLessThanOrEqual(149);
    expect(channelIdFor(callId)).toBe(channelId);
    expect(channelId).not.toBe(callId);
    expect(channelIdFor(callIdFor('camp-1', 'contact-7', 2))).not.toBe(channelId);
  });
});

describe('tracking ids', () => {
  it('reads <CODE><contact>.<attempt>', () => {
    expect(trackingId('JKD', 1, 7)).toBe('JKD1.7');
    expect(trackingId('JKD', 12)).toBe('JKD12.1');
    expect(trackingId('JKD', 12, 3)).toBe('JKD12.3');
  });

  it('are valid RequestCall tracking ids at the limits', () => {
    expect(trackingId('ABCDEF', 9_999_999_999, 999_999)).toMatch(REQUEST_CALL_TRACKING_ID);
    expect(() => trackingId('ABCDEF', 99_999_999_999, 1)).toThrow(expect.objectContaining({ code: 'INVALID_DIAL_INPUT' }));
  });

  it.each([
    ['a lower-case code', 'jkd', 1, 1],
    ['a code with digits', 'JK1', 1, 1],
    ['sequence 0', 'JKD', 0, 1],
    ['a fractional sequence', 'JKD', 1.5, 1],
    ['attempt 0', 'JKD', 1, 0],
  ])('refuses %s', (_, code, sequence, attempt) => {
    expect(() => trackingId(code, sequence, attempt)).toThrow(expect.objectContaining({ code: 'INVALID_DIAL_INPUT' }));
  });

  it('refuses an injection in the code with AmiInjectionError', () => {
    expect(() => trackingId('JKD\r\nAction: Originate', 1)).toThrow(AmiInjectionError);
  });

  it('campaignCode is three deterministic letters without I or O', () => {
    const code = campaignCode('0b8a7c5e-5f0e-4a57-9d1c-4f7d2c1e9a10');
    expect(code).toMatch(/^[A-HJ-NP-Z]{3}$/);
    expect(campaignCode('0b8a7c5e-5f0e-4a57-9d1c-4f7d2c1e9a10')).toBe(code);
    const codes = new Set(Array.from({ length: 200 }, (_, i) => campaignCode(`campaign-${i}`)));
    expect(codes.size).toBeGreaterThan(190);
    expect(campaignCode('x', 5)).toMatch(/^[A-HJ-NP-Z]{5}$/);
    expect(trackingId(code, 3, 2)).toBe(`${code}3.2`);
  });
});
