export { rebuildProjection, rebuildProjections } from './rebuild-projection';
export type { RebuildManyOptions, RebuildOptions, RebuildResult } from './rebuild-projection';
export type { RebuildProgress } from './rebuild-progress';
export { readStoredStatus } from './stored-status';
export type { StoredProjectionState, StoredProjectionStatus } from './stored-status';
export { shadowSchemaName } from './shadow-schema';
export type { SwapPatience, SwapWait } from './patient-swap';
