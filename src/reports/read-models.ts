import { existsSync } from 'node:fs';
import type { EventStoreConfig } from '../config';
import {
  CHECKPOINTS_TABLE,
  campaignsProjection,
  campaignStatsHourlyProjection,
  openReadModels,
  pgliteReadModelDir,
  reportsProjection,
  type ReadModelDatabase,
  type ReadModelQueryable,
} from '../projections';
import { openEventStore } from '../eventstore/open-event-store';
import { DomainError } from '../shared/domain-error';

/** The read models the reports read: campaigns_v1, campaign_stats_hourly_v1 and the report_*_v1 views. */
const reported = () => [campaignsProjection(), campaignStatsHourlyProjection(), reportsProjection()].map(({ name, version }) => ({ name, version }));

const HOW_TO_BUILD = 'run `siren start` (it keeps them up to date) or `siren projections rebuild all` first';

export const notBuilt = (detail: string): DomainError =>
  new DomainError('READ_MODELS_NOT_BUILT', `the read models have not been built yet (${detail}): ${HOW_TO_BUILD}`);

/**
 * Opens the configured read models for a report (openReadModels), without creating an empty
 * embedded database where none was ever built: a report should not leave files behind.
 */
export async function openReportReadModels(config: EventStoreConfig): Promise<ReadModelDatabase> {
  if (!config.DATABASE_URL && !existsSync(pgliteReadModelDir(config))) throw notBuilt(`nothing at ${pgliteReadModelDir(config)}`);
  return openReadModels(config);
}

/**
 * How far the read models the reports use have applied the event log: the lowest of their
 * checkpoints. Refuses with READ_MODELS_NOT_BUILT when a checkpoint is missing (its tables or
 * views do not exist then: the runner creates both in one transaction).
 */
export async function reportedPosition(db: ReadModelQueryable): Promise<bigint> {
  const [{ table }] = await db.query<{ table: unknown }>(`SELECT to_regclass('${CHECKPOINTS_TABLE}')::text AS table`);
  if (table === null) throw notBuilt(`no ${CHECKPOINTS_TABLE}`);
  const needed = reported();
  const rows = await db.query<{ name: string; version: number; position: unknown }>(
    `SELECT name, version, position FROM ${CHECKPOINTS_TABLE} WHERE name = ANY($1::text[])`,
    [needed.map((p) => p.name)],
  );
  let lowest: bigint | null = null;
  for (const p of needed) {
    const row = rows.find((r) => r.name === p.name && Number(r.version) === p.version);
    if (!row) throw notBuilt(`no checkpoint for ${p.name} v${p.version}`);
    const position = BigInt(String(row.position));
    if (lowest === null || position < lowest) lowest = position;
  }
  return lowest ?? 0n;
}

export interface ReadModelsAt {
  /** The lowest checkpoint of the reported read models. */
  position: bigint;
  /** The event store's last position; null if it could not be read (headError says why). */
  head: bigint | null;
  headError?: string;
}

/**
 * Opens the read models for one report, checks they were built, learns how far they are against
 * the event store's head, runs `work`, and closes everything. The event store is only asked for
 * its head: a report reads nothing else from it, so one that cannot be reached costs the
 * freshness figure, not the report.
 */
export async function withReportReadModels<T>(
  config: EventStoreConfig,
  work: (db: ReadModelQueryable, at: ReadModelsAt) => Promise<T>,
): Promise<T> {
  const db = await openReportReadModels(config);
  try {
    const position = await reportedPosition(db);
    return await work(db, { position, ...(await eventStoreHead(config)) });
  } finally {
    await db.close();
  }
}

async function eventStoreHead(config: EventStoreConfig): Promise<Pick<ReadModelsAt, 'head' | 'headError'>> {
  try {
    const store = await openEventStore(config);
    try {
      return { head: await store.headPosition() };
    } finally {
      await store.close();
    }
  } catch (error) {
    return { head: null, headError: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}
