import { createHash } from 'node:crypto';
import { assertSafeAmiValue } from '../ami/ami-values';
import { OriginationError } from './origination-errors';

/**
 * Deterministic identities of a call attempt, so that a restarted saga recomputes the same ids and
 * recognises an attempt it already placed (an event already appended, a channel already live).
 */

/** RFC 4122 name-based (v5, SHA-1) uuid of `name` in `namespace`. */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new TypeError(`namespace ${namespace} is not a uuid`);
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Siren's namespaces (fixed for ever: changing them changes every id). */
const CALL_NAMESPACE = 'ded673db-f1d8-48d5-9e58-395164e2700a';
const CHANNEL_NAMESPACE = '9676446c-60c0-47c3-a150-8ea684f8c3f9';

/**
 * The call id of one attempt at one campaign contact: uuid v5 of (campaignId, contactId, attempt).
 * The parts are JSON-encoded so no choice of ids can make two different triples collide.
 */
export function callIdFor(campaignId: string, contactId: string, attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 1) throw new OriginationError('INVALID_DIAL_INPUT', 'attempt must be a positive integer', { attempt });
  return uuidV5(CALL_NAMESPACE, JSON.stringify([campaignId, contactId, attempt]));
}

/**
 * The Originate's ChannelId (= the dialed channel's Uniqueid, and the Uniqueid of a *failed*
 * OriginateResponse, which names no other id): uuid v5 of the call id, 36 characters, well under
 * Asterisk's 149. A call id is originated at most once (a failover to another trunk is a new call,
 * see README.md), so after a restart the saga recomputes it from the call id alone and looks for
 * it in the live channels. Distinct from the call id so a Uniqueid is never mistaken for one.
 */
export function channelIdFor(callId: string): string {
  return uuidV5(CHANNEL_NAMESPACE, callId);
}

/** Letters only, so that the contact sequence after it reads unambiguously; no I or O (1 and 0). */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const CODE = /^[A-Z]{1,6}$/;

/**
 * A short human code for a campaign, e.g. `JKD`: three letters from sha256(campaignId).
 * Deterministic, so every process and every replay agrees; 13,824 codes, so two campaigns may
 * share one — the tracking id is for people, the call id is the key.
 */
export function campaignCode(campaignId: string, length = 3): string {
  if (!Number.isInteger(length) || length < 1 || length > 6) throw new OriginationError('INVALID_DIAL_INPUT', 'code length must be 1–6', { length });
  const digest = createHash('sha256').update(campaignId, 'utf8').digest();
  let code = '';
  for (let i = 0; i < length; i++) code += CODE_ALPHABET[digest.readUInt16BE(i * 2) % CODE_ALPHABET.length];
  return code;
}

/**
 * Human-readable tracking id: `<CODE><contact sequence>.<attempt>`, e.g. `JKD12.3` = campaign JKD,
 * its 12th contact, third attempt (`JKD1.7`: first contact, seventh attempt). The code is letters
 * only, so where the sequence starts is plain. Fits RequestCall's `^[A-Za-z0-9]{1,16}(\.[0-9]{1,6})?$`:
 * code + sequence ≤ 16 characters, attempt ≤ 6 digits. Manual calls can use a code of their own
 * (e.g. `M` + the agent's call count).
 */
export function trackingId(code: string, sequence: number, attempt = 1): string {
  assertSafeAmiValue('campaignCode', code);
  if (!CODE.test(code)) throw new OriginationError('INVALID_DIAL_INPUT', 'campaign code must be 1–6 capital letters', { field: 'campaignCode' });
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new OriginationError('INVALID_DIAL_INPUT', 'sequence must be a positive integer', { sequence });
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > 999_999) throw new OriginationError('INVALID_DIAL_INPUT', 'attempt must be 1–999999', { attempt });
  const head = `${code}${sequence}`;
  if (head.length > 16) throw new OriginationError('INVALID_DIAL_INPUT', 'campaign code and sequence exceed 16 characters', { sequence });
  return `${head}.${attempt}`;
}
