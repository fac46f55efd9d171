import { DISPOSITIONS } from '../calls/disposition';
import type { CampaignReport } from './campaign-report';
import { csvRecord, spreadsheetSafe, type CsvCell } from '../shared/csv';
import type { ReadModelsAt } from './read-models';
import type { ReportFigures } from './report-figures';
import type { ReportFormat, SummaryDimension } from './report-input';
import type { SummaryReport } from './summary-report';

/** Where the read models stand against the event store, for stderr (CSV and JSON stay clean). */
export type Freshness = ReadModelsAt;

export function formatFreshness({ position, head, headError }: Freshness): string {
  if (head === null) return `read models at position ${position} (event store head unknown: ${headError ?? 'not read'})\n`;
  const state = position >= head ? 'up to date' : 'behind the event store; `siren start` catches them up';
  return `read models at position ${position} of ${head} (${state})\n`;
}

const jsonFreshness = (f: Freshness) => ({ position: f.position.toString(), eventStoreHead: f.head?.toString() ?? null });

// ---- shared cells ----

const DASH = '—';
const percent = (rate: number | null) => (rate === null ? DASH : `${(rate * 100).toFixed(1)}%`);
const seconds = (s: number | null) => (s === null ? DASH : `${s.toFixed(1)} s`);
const orDash = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? DASH : String(v));

const FIGURE_CSV_HEADER = [
  'attempts', 'originated', 'answered', 'ended', 'answered_ended', 'pressed_one', 'talk_seconds', 'billable_seconds',
  'answer_rate', 'asr', 'acd_seconds', 'pressed_one_rate',
];
const figureCells = (f: ReportFigures): CsvCell[] => [
  f.attempts, f.originated, f.answered, f.ended, f.answeredEnded, f.pressedOne, f.talkSeconds, f.billableSeconds,
  f.answerRate, f.asr, f.acdSeconds, f.pressedOneRate,
];

/** Columns padded to their widest cell; numbers (and the rates) right-aligned. */
export function renderTable(header: readonly string[], rows: readonly string[][], rightAligned: readonly boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd() + '\n';
  return line(header) + rows.map(line).join('');
}

// ---- campaign ----

const snake = (disposition: string) => disposition.replace(/-/g, '_');

const CAMPAIGN_CSV_HEADER = [
  'campaign_id', 'name', 'agent_id', 'time_zone', 'window_start', 'window_end', 'route', 'caller_id', 'max_concurrent_calls',
  'max_attempts', 'contacts', 'state', 'created_at', 'started_at', 'paused_at', 'ended_at', 'cancel_reason',
  'calls_total', 'calls_dialing', 'calls_talking', 'calls_ended', 'calls_answered', 'calls_pressed_one', 'retries_scheduled',
  ...FIGURE_CSV_HEADER,
  ...DISPOSITIONS.map((d) => `disposition_${snake(d)}`),
  ...DISPOSITIONS.map((d) => `share_${snake(d)}`),
];

export function formatCampaignReport(report: CampaignReport, format: ReportFormat, freshness: Freshness): string {
  switch (format) {
    case 'json':
      return JSON.stringify({ ...report, readModels: jsonFreshness(freshness) }, null, 2) + '\n';
    case 'csv':
      return csvRecord(CAMPAIGN_CSV_HEADER) + csvRecord(campaignCells(report));
    case 'table':
      return campaignText(report);
  }
}

function campaignCells({ campaignId, campaign: c, figures, dispositions }: CampaignReport): CsvCell[] {
  const mix = (d: string) => dispositions.find((m) => m.disposition === d);
  return [
    campaignId, spreadsheetSafe(c?.name), c?.agentId, c?.timeZone, c?.windowStart, c?.windowEnd, c?.route, c?.callerId, c?.maxConcurrentCalls,
    c?.maxAttempts, c?.contacts, c?.state, c?.createdAt, c?.startedAt, c?.pausedAt, c?.endedAt, spreadsheetSafe(c?.cancelReason),
    c?.calls.total, c?.calls.dialing, c?.calls.talking, c?.calls.ended, c?.calls.answered, c?.calls.pressedOne, c?.calls.retriesScheduled,
    ...figureCells(figures),
    ...DISPOSITIONS.map((d) => mix(d)?.calls ?? 0),
    ...DISPOSITIONS.map((d) => mix(d)?.share ?? 0),
  ];
}

const fields = (pairs: readonly [string, string][]) => {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `  ${label.padEnd(width)}  ${value}\n`).join('');
};

function campaignText({ campaignId, campaign: c, figures: f, dispositions }: CampaignReport): string {
  let out = `Campaign ${campaignId}${c?.name ? ` — ${c.name}` : ''}\n`;
  if (c) {
    out += fields([
      ['state', c.state + (c.cancelReason ? ` (${c.cancelReason})` : '')],
      ['created', orDash(c.createdAt)],
      ['started', orDash(c.startedAt)],
      ['paused', orDash(c.pausedAt)],
      ['ended', orDash(c.endedAt)],
      ['agent', orDash(c.agentId)],
      ['calling window', c.windowStart ? `${c.windowStart}–${c.windowEnd} ${orDash(c.timeZone)}` : DASH],
      ['route', orDash(c.route)],
      ['caller id', orDash(c.callerId)],
      ['max concurrent', orDash(c.maxConcurrentCalls)],
      ['max attempts', orDash(c.maxAttempts)],
      ['contacts', String(c.contacts)],
    ]);
    out += '\nCalls\n' + fields([
      ['total', String(c.calls.total)],
      ['dialing', String(c.calls.dialing)],
      ['talking', String(c.calls.talking)],
      ['ended', String(c.calls.ended)],
      ['answered', String(c.calls.answered)],
      ['pressed 1', String(c.calls.pressedOne)],
      ['retries scheduled', String(c.calls.retriesScheduled)],
      ['talk time', `${c.calls.talkSeconds} s (billable ${c.calls.billableSeconds} s)`],
    ]);
  } else {
    out += '  (no campaign events in the read models yet: known only from its calls)\n';
  }
  out += '\nRates\n' + fields([
    ['attempts', String(f.attempts)],
    ['reached the network', String(f.originated)],
    ['answered', String(f.answered)],
    ['answer rate', percent(f.answerRate)],
    ['ASR', percent(f.asr)],
    ['ACD', seconds(f.acdSeconds)],
    ['pressed-1 rate', percent(f.pressedOneRate)],
  ]);
  out += '\nDisposition mix (ended attempts)\n';
  if (dispositions.length === 0) return out + '  none ended yet\n';
  const rows = dispositions.map((d) => [d.disposition, String(d.calls), percent(d.share)]);
  return out + indent(renderTable(['disposition', 'calls', 'share'], rows, [false, true, true]));
}

const indent = (text: string) => text.replace(/^(?=.)/gm, '  ');

// ---- summary ----

const KEY_HEADER: Record<SummaryDimension, string> = { campaign: 'campaign_id', trunk: 'trunk', agent: 'agent_id', hour: 'hour' };
const NO_KEY: Record<SummaryDimension, string> = { campaign: '(no campaign)', trunk: '(unknown)', agent: '(none)', hour: '(none)' };

export function formatSummaryReport(report: SummaryReport, format: ReportFormat, freshness: Freshness): string {
  switch (format) {
    case 'json':
      return JSON.stringify({ ...report, readModels: jsonFreshness(freshness) }, null, 2) + '\n';
    case 'csv':
      // No total row: every record is one key, so a spreadsheet can sum or filter them.
      return csvRecord([KEY_HEADER[report.by], ...FIGURE_CSV_HEADER]) + report.rows.map((r) => csvRecord([r.key, ...figureCells(r)])).join('');
    case 'table':
      return summaryText(report);
  }
}

function summaryText(report: SummaryReport): string {
  const interval = report.from || report.to ? `requested from ${report.from ?? 'the start'} to ${report.to ?? 'now'} (exclusive)` : 'all time';
  const title = `Calls by ${report.by}, ${interval}\n`;
  if (report.rows.length === 0) return title + 'no calls in this interval\n';
  const cells = (key: string, f: ReportFigures) => [
    key, String(f.attempts), String(f.originated), String(f.answered), percent(f.answerRate), percent(f.asr),
    seconds(f.acdSeconds), String(f.pressedOne), percent(f.pressedOneRate),
  ];
  const rows = report.rows.map((r) => cells(r.key === '' ? NO_KEY[report.by] : r.key, r));
  rows.push(cells('total', report.total));
  const header = [report.by, 'attempts', 'originated', 'answered', 'answer rate', 'ASR', 'ACD', 'pressed 1', 'pressed-1 rate'];
  return title + renderTable(header, rows, header.map((_, i) => i > 0));
}
