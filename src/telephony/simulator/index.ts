/**
 * The built-in PBX simulator (capability M9): a TCP server speaking Asterisk's AMI wire protocol.
 * See README.md in this folder for the outcome table and what it reproduces of Asterisk 22.
 */
export { startPbxSimulator, DEFAULT_CHANNEL_VARS } from './start-pbx-simulator';
export type { PbxSimulator, PbxSimulatorOptions } from './start-pbx-simulator';
export { runBuiltInPbx } from './run-pbx-simulator';
export type { AmiEndpoint } from './run-pbx-simulator';
export type { Fault, MalformedShape } from './faults';
export { LAST_DIGIT_SCENARIOS, OUTCOMES } from './outcome';
export type { Outcome, OutcomeMix, Scenario } from './outcome';
export type { OriginateResponseOrder } from './call-plan';
export type { OriginateLogEntry, SimulatorStats } from './simulator-log';
export * from './ami-frame';
