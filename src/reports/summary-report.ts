import { READ_MODEL_SCHEMA, type ReadModelQueryable } from '../projections';
import { FIGURES_FROM_HOURLY, figuresOf, type ReportFigures } from './report-figures';
import type { SummaryDimension, SummaryInput } from './report-input';

export interface SummaryRow extends ReportFigures {
  /** The campaign id, trunk or agent id ('' = none or unknown), or the UTC hour as 2026-11-20T09:00:00Z. */
  key: string;
}

export interface SummaryReport {
  by: SummaryDimension;
  /** The interval [from, to) as ISO strings; null = open. */
  from: string | null;
  to: string | null;
  /** One row per key with calls requested in the interval, ordered by key. */
  rows: SummaryRow[];
  /** All rows together (rates from the summed counters, never averaged). */
  total: ReportFigures;
}

const COLUMN: Record<SummaryDimension, string> = { campaign: 'campaign_id', trunk: 'trunk', agent: 'agent_id', hour: 'hour' };
const KEY: Record<SummaryDimension, string> = {
  campaign: 'campaign_id',
  trunk: 'trunk',
  agent: 'agent_id',
  hour: `to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24":00:00Z"')`,
};

/**
 * Calls requested in [from, to), one row per campaign, trunk, agent or UTC hour, plus the total:
 * sums over campaign_stats_hourly_v1 (whose rows are UTC hours of request, which is why the
 * interval is whole hours), with the rates of the report views computed from those sums.
 */
export async function readSummaryReport(db: ReadModelQueryable, input: SummaryInput): Promise<SummaryReport> {
  const column = COLUMN[input.by];
  const rows = await db.query(
    `SELECT ${KEY[input.by]} AS key, grouping(${column}) AS is_total, ${FIGURES_FROM_HOURLY}
     FROM ${READ_MODEL_SCHEMA}.campaign_stats_hourly_v1
     WHERE ($1::timestamptz IS NULL OR hour >= $1::timestamptz) AND ($2::timestamptz IS NULL OR hour < $2::timestamptz)
     GROUP BY GROUPING SETS ((${column}), ())
     ORDER BY is_total, key`,
    [input.from?.toISOString() ?? null, input.to?.toISOString() ?? null],
  );
  const total = rows.find((r) => Number(r.is_total) === 1);
  return {
    by: input.by,
    from: input.from?.toISOString() ?? null,
    to: input.to?.toISOString() ?? null,
    rows: rows.filter((r) => Number(r.is_total) === 0).map((r) => ({ key: String(r.key), ...figuresOf(r) })),
    total: figuresOf(total ?? {}),
  };
}
