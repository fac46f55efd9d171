/** Origination (capability M5): pure planning of Originate actions plus a thin Originator. See README.md. */
export { callIdFor, campaignCode, channelIdFor, trackingId, uuidV5 } from './call-ids';
export { DEFAULT_DIAL_TEMPLATE, checkDialTemplate, dialNumber, dialString } from './dial-string';
export type { DialParts } from './dial-string';
export {
  buildAgentFirstOriginate,
  buildAutodialOriginate,
  callTrunkOrder,
  formatCallerId,
  nextTrunkAfter,
  templateFor,
} from './originate-params';
export type { AgentLine, BuildOptions, CallToDial } from './originate-params';
export { OriginationError } from './origination-errors';
export type { OriginationErrorCode } from './origination-errors';
export { Originator } from './originator';
export type { OriginateClient, OriginateRequest, OriginateResult } from './originator';
export { isCarrierFailure, knownTrunks, parseRoutes, pickTrunk, seededRng, trunkOrder } from './routes';
export type { Routes, WeightedTrunk } from './routes';
export { TelephonyConfig, parseTelephonyConfig, parseTrunkTemplates, toOriginationConfig } from './telephony.config';
export type { OriginationConfig } from './telephony.config';
