import { createHash } from 'node:crypto';

/**
 * The call id of one attempt at one contact. It must be a pure function of its inputs: the
 * CallRequested of a repeated plan then lands on the same `call-<id>` stream and is refused there,
 * so one attempt can never become two calls.
 */
export type CallIdFor = (campaignId: string, contactId: string, attempt: number) => string;

/**
 * A name-based UUID from SHA-256 (RFC 9562 version 8 layout: the version and variant bits are set,
 * the rest is hash). Used when no other `callIdFor` is wired in.
 */
export const sha256CallId: CallIdFor = (campaignId, contactId, attempt) => {
  const hex = createHash('sha256')
    .update(JSON.stringify(['siren.dial', campaignId, contactId, attempt]))
    .digest('hex')
    .slice(0, 32)
    .split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};
