export type { Change, Projection, Statement } from './projection';
export type { Read, WritePlan } from './write-plan';
export { ProjectionRunner } from './projection-runner';
export type { ProjectionRunnerOptions, ProjectionState, ProjectionStatus } from './projection-runner';
export { applyBatch, applyBatchIn } from './apply-batch';
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
export { agentsProjection } from './agents.projection';
export { autodialResponsesProjection } from './autodial-responses.projection';
export { campaignStatsHourlyProjection } from './campaign-stats-hourly.projection';
export { reportsProjection } from './reports.projection';

import { agentsProjection } from './agents.projection';
import { autodialResponsesProjection } from './autodial-responses.projection';
import { callDtmfProjection } from './call-dtmf.projection';
import { callsProjection } from './calls.projection';
import { campaignStatsHourlyProjection } from './campaign-stats-hourly.projection';
import { campaignsProjection } from './campaigns.projection';
import type { Projection } from './projection';
import { reportsProjection } from './reports.projection';

/**
 * The read models Siren keeps, at their current versions. The runner starts them in this order:
 * `reports` (views over campaign_stats_hourly) must come after the tables it reads.
 */
export function allProjections(): Projection[] {
  return [
    callsProjection(),
    callDtmfProjection(),
    campaignsProjection(),
    agentsProjection(),
    autodialResponsesProjection(),
    campaignStatsHourlyProjection(),
    reportsProjection(),
  ];
}
export { openReadModels, pgliteReadModelDir } from './open-read-models';
export { rebuildProjection, rebuildProjections, readStoredStatus, shadowSchemaName } from './rebuild';
export type { RebuildManyOptions, RebuildOptions, RebuildProgress, RebuildResult, StoredProjectionState, StoredProjectionStatus } from './rebuild';
