import type { Projection, Statement } from './projection';
import { readProjectionSchema } from './schema-file';

const NAME = 'reports';
const VERSION = 1;

/**
 * The report views (projections/reports.v1.sql) over campaign_stats_hourly_v1. They hold no rows
 * and project no events: registering them as a projection lets the runner create them, once, in
 * the transaction that creates their checkpoint row — after the tables they read, because
 * allProjections() lists this after campaignStatsHourlyProjection() and the runner starts
 * projections in order. A v2 of the views is a new file and a new version, like any read model.
 */
export function reportsProjection(): Projection {
  return { name: NAME, version: VERSION, schemaSql: readProjectionSchema(NAME, VERSION), tables: [], handle };
}

function handle(): Statement[] {
  return [];
}
