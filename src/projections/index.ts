export type { Projection, Statement } from './projection';
export { ProjectionRunner } from './projection-runner';
export type { ProjectionRunnerOptions, ProjectionState, ProjectionStatus } from './projection-runner';
export { applyBatch } from './apply-batch';
export { CheckpointConflictError, ensureProjectionSchema, readCheckpoint, setCheckpoint, CHECKPOINTS_TABLE } from './checkpoints';
export {
  openPgliteReadModelDatabase,
  openPostgresReadModelDatabase,
  READ_MODEL_SCHEMA,
} from './read-model-database';
export type { ReadModelDatabase, ReadModelQueryable } from './read-model-database';
export { callsProjection } from './calls.projection';
export { callDtmfProjection } from './call-dtmf.projection';
export { campaignsProjection } from './campaigns.projection';

import { callDtmfProjection } from './call-dtmf.projection';
import { callsProjection } from './calls.projection';
import { campaignsProjection } from './campaigns.projection';
import type { Projection } from './projection';

/** The read models Siren keeps, at their current versions. */
export function allProjections(): Projection[] {
  return [callsProjection(), callDtmfProjection(), campaignsProjection()];
}
