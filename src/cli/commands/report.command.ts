import { Command, Option } from 'commander';
import { loadConfig } from '../../config';
import {
  formatCampaignReport,
  formatFreshness,
  formatSummaryReport,
  parseSummaryInput,
  readCampaignReport,
  readSummaryReport,
  withReportReadModels,
  type ReadModelsAt,
  type ReportFormat,
} from '../../reports';
import { DomainError } from '../../shared/domain-error';

interface FormatFlags {
  csv?: boolean;
  json?: boolean;
}

const ABOUT = `
Reads the read models (schema siren_rm: campaigns_v1, campaign_stats_hourly_v1 and the report_*_v1
views), never the event log: in PostgreSQL when DATABASE_URL is set, else in the embedded PGlite at
SIREN_DATA_DIR/read-models, which one process opens at a time (stop \`siren start\` first there).
Stderr says how far they are: "read models at position X of Y" (Y = the event store's head).

Rates (definitions in projections/reports.v1.sql): answer rate = answered / attempts;
ASR = answered / attempts that reached the network; ACD = average talk seconds of answered calls
that ended; pressed-1 rate = pressed 1 / answered. "—" (empty in CSV, null in JSON) = nothing to divide by.`;

/** `siren report …` (M14): campaign and summary reports from the read models. */
export function reportCommand(): Command {
  const report = new Command('report')
    .description('answer rate, ASR, ACD, pressed-1 rate and disposition mix, from the read models')
    .addHelpText('after', ABOUT);

  withFormats(report.command('campaign <campaignId>'))
    .description('one campaign: settings, state, calls by state and disposition, rates, disposition mix (exit 1 if unknown)')
    .action(async (campaignId: string, flags: FormatFlags) => {
      const format = formatOf(flags);
      process.stdout.write(
        await withReportReadModels(loadConfig().eventStore, async (db, at) => {
          const campaign = await readCampaignReport(db, campaignId).catch((error: unknown) => {
            throw explainLag(error, at);
          });
          process.stderr.write(formatFreshness(at));
          return formatCampaignReport(campaign, format, at);
        }),
      );
    });

  withFormats(report.command('summary'))
    .description('one row per campaign (or trunk, agent, UTC hour) for the calls requested in [--from, --to)')
    .option('--from <time>', 'first hour counted, ISO-8601 (2026-11-20 or 2026-11-20T09:00Z; UTC unless an offset is given)')
    .option('--to <time>', 'first hour no longer counted (exclusive), same form')
    .option('--by <dimension>', 'one row per campaign, trunk, agent or hour', 'campaign')
    .addHelpText('after', '\nCalls are counted in the UTC hour they were requested, so --from and --to must be whole UTC hours.\nThe table ends with a total row; CSV and JSON carry one record per key (JSON also the total).')
    .action(async (flags: FormatFlags & { from?: string; to?: string; by?: string }) => {
      // Refuse bad input before anything is opened.
      const input = parseSummaryInput(flags);
      const format = formatOf(flags);
      process.stdout.write(
        await withReportReadModels(loadConfig().eventStore, async (db, at) => {
          const summary = await readSummaryReport(db, input);
          process.stderr.write(formatFreshness(at));
          return formatSummaryReport(summary, format, at);
        }),
      );
    });

  return report;
}

function withFormats(command: Command): Command {
  return command
    .addOption(new Option('--csv', 'print CSV (RFC 4180, header row) for machines'))
    .addOption(new Option('--json', 'print JSON').conflicts('csv'));
}

/** An unknown campaign may just not be projected yet: say so when the read models lag. */
function explainLag(error: unknown, at: ReadModelsAt): unknown {
  if (!(error instanceof DomainError) || error.code !== 'REPORT_UNKNOWN_CAMPAIGN' || at.head === null || at.position >= at.head) return error;
  return new DomainError(error.code, `${error.message} (the read models are at position ${at.position} of ${at.head}: it may not be projected yet)`, error.details);
}

const formatOf = (flags: FormatFlags): ReportFormat => (flags.json ? 'json' : flags.csv ? 'csv' : 'table');
