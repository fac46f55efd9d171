/** Siren's AMI connection (capability M4). See README.md in this folder. */
export { AmiClient, maskDigits } from './ami-client';
export type { AmiClientOptions, AmiConnected, AmiConnectionState, AmiHealth } from './ami-client';
export * from './ami-actions';
export { nextDelay, MAX_RECONNECT_DELAY_MS } from './ami-backoff';
export * from './ami-errors';
export type { AmiEvent, AmiFields, AmiResponse } from './ami-fields';
export { normaliseAmiMessage } from './ami-fields';
export type { AmiListResult } from './ami-link';
export { assertSafeAmiValue, assertSafeVariable, toSafeAmiRequest } from './ami-values';
export type { AmiAction, AmiValue } from './ami-values';
export { AmiConfig } from './ami.config';
