/** AMI events → call commands (capability M6). See README.md in this folder. */
export { AmiEventIngest, dispatchThrough } from './ami-event-ingest';
export type { AmiEventIngestOptions, AmiEventSource, DispatchCommand } from './ami-event-ingest';
export { ChannelTracker } from './channel-tracker';
export type { ChannelMatch, ChannelRef, OriginatedCall, TrackedCall } from './channel-tracker';
export { translateAmiEvent } from './translate-ami-event';
