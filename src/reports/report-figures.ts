/**
 * The figures every report row carries: counters summed from campaign_stats_hourly_v1 and the
 * rates computed from those sums, defined exactly as in projections/reports.v1.sql (answer rate =
 * answered / attempts, ASR = answered / originated, ACD = talk_seconds / answered_ended,
 * pressed-1 rate = pressed_one / answered; NULL when the denominator is 0).
 */
export interface ReportFigures {
  attempts: number;
  originated: number;
  answered: number;
  ended: number;
  answeredEnded: number;
  pressedOne: number;
  talkSeconds: number;
  billableSeconds: number;
  /** 0..1, 4 decimals; null without attempts. */
  answerRate: number | null;
  /** 0..1, 4 decimals; null when no attempt reached the network. */
  asr: number | null;
  /** Seconds, 2 decimals; null when no answered call has ended. */
  acdSeconds: number | null;
  /** 0..1, 4 decimals; null without answered calls. */
  pressedOneRate: number | null;
}

/** The counter and rate columns of the report_*_v1 views, in the order reports print them. */
export const FIGURE_COLUMNS =
  'attempts, originated, answered, ended, answered_ended, pressed_one, talk_seconds, billable_seconds, answer_rate, asr, acd_seconds, pressed_one_rate';

/**
 * The same columns computed over the rows of campaign_stats_hourly_v1 a query selects (the views
 * sum over all hours; an interval needs the sums redone). Kept to the views' expressions.
 */
export const FIGURES_FROM_HOURLY = `sum(attempts)::bigint AS attempts, sum(originated)::bigint AS originated,
  sum(answered)::bigint AS answered, sum(ended)::bigint AS ended, sum(answered_ended)::bigint AS answered_ended,
  sum(pressed_one)::bigint AS pressed_one, sum(talk_seconds)::numeric AS talk_seconds, sum(billable_seconds)::bigint AS billable_seconds,
  round(sum(answered)::numeric / nullif(sum(attempts), 0), 4) AS answer_rate,
  round(sum(answered)::numeric / nullif(sum(originated), 0), 4) AS asr,
  round(sum(talk_seconds)::numeric / nullif(sum(answered_ended), 0), 2) AS acd_seconds,
  round(sum(pressed_one)::numeric / nullif(sum(answered), 0), 4) AS pressed_one_rate`;

/** pg returns bigint and numeric as text (PGlite may give bigint): plain numbers for reports. */
export const num = (v: unknown): number => Number(String(v ?? 0));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(String(v)));

export function figuresOf(row: Record<string, unknown>): ReportFigures {
  return {
    attempts: num(row.attempts),
    originated: num(row.originated),
    answered: num(row.answered),
    ended: num(row.ended),
    answeredEnded: num(row.answered_ended),
    pressedOne: num(row.pressed_one),
    talkSeconds: num(row.talk_seconds),
    billableSeconds: num(row.billable_seconds),
    answerRate: numOrNull(row.answer_rate),
    asr: numOrNull(row.asr),
    acdSeconds: numOrNull(row.acd_seconds),
    pressedOneRate: numOrNull(row.pressed_one_rate),
  };
}

/** Figures of a campaign with no calls yet: counters 0, rates undefined. */
export const NO_FIGURES: ReportFigures = {
  attempts: 0, originated: 0, answered: 0, ended: 0, answeredEnded: 0, pressedOne: 0, talkSeconds: 0, billableSeconds: 0,
  answerRate: null, asr: null, acdSeconds: null, pressedOneRate: null,
};
