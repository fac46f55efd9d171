import { Command, Option } from 'commander';
import {
  formatHistory,
  formatStateAsOf,
  parseAsOf,
  phoneForHistory,
  readHistory,
  readStateAsOf,
  type HistoryFormat,
  type HistorySubject,
} from '../../audit/history';
import { loadConfig } from '../../config';
import { withEventStore } from '../with-event-store';

interface HistoryFlags {
  json?: boolean;
  csv?: boolean;
  asOf?: string;
  calls?: boolean;
  region?: string;
}

const FORMATS_HELP = `
Output: a timeline (time, stream, revision, event, actor, details) in global order; --json or
--csv for the full events (data as stored, ids, positions). Phone numbers are shown in full.
--as-of <time> prints instead the state the aggregate had at that instant, folded by its own
decider from the events that had happened by then (ISO-8601 with a zone, e.g. 2025-03-01T09:30:00Z).
Reads the event store itself, never the read models.`;

/** `siren history …` (M13): audit replay of calls, numbers, agents and campaigns. */
export function historyCommand(): Command {
  const history = new Command('history')
    .description('replay the event store: the timeline of a call, a phone number, an agent or a campaign, or its state at an instant')
    .addHelpText('after', FORMATS_HELP);

  subcommand(history, 'call <callId>', 'every event of one call attempt (exit 1 if there is no such call)', (id) => ({ kind: 'call', id }));

  subcommand(history, 'number <phone>', 'every attempt to a number across all campaigns, and its do-not-call skips', (raw, flags) => ({
    kind: 'number',
    phone: phoneForHistory(raw, flags.region ?? loadConfig().app.SIREN_DEFAULT_REGION),
  }))
    .option('--region <CC>', 'region for a number written without a country code (default SIREN_DEFAULT_REGION)')
    .addHelpText('after', '\nA number nobody dialed is not an error: it prints that there are no events and exits 0.');

  subcommand(history, 'agent <agentId>', "the agent's registration, permissions, settings and presence (exit 1 if unknown)", (id) => ({
    kind: 'agent',
    id,
  })).option('--calls', 'also every call requested for this agent');

  subcommand(history, 'campaign <campaignId>', "the campaign's own events and its dialer's skips (exit 1 if unknown)", (id) => ({
    kind: 'campaign',
    id,
  }))
    .option('--calls', "also every event of every call attempt the campaign made (off by default: a campaign's calls can run to thousands)");

  return history;
}

function subcommand(
  parent: Command,
  nameAndArgs: string,
  description: string,
  toSubject: (arg: string, flags: HistoryFlags) => HistorySubject,
): Command {
  return parent
    .command(nameAndArgs)
    .description(description)
    .addOption(new Option('--json', 'print as JSON'))
    .addOption(new Option('--csv', 'print as CSV (RFC 4180)').conflicts('json'))
    .option('--as-of <time>', 'print the state at this instant instead of the timeline (ISO-8601 with a zone)')
    .action(async (arg: string, flags: HistoryFlags) => {
      // Refuse bad input before the event store is opened.
      const asOf = flags.asOf === undefined ? undefined : parseAsOf(flags.asOf);
      const subject = toSubject(arg, flags);
      const format: HistoryFormat = flags.json ? 'json' : flags.csv ? 'csv' : 'text';
      const options = { withCalls: flags.calls === true };
      const output = await withEventStore(async (store) =>
        asOf === undefined
          ? formatHistory(await readHistory(store, subject, options), format)
          : formatStateAsOf(await readStateAsOf(store, subject, asOf, options), format),
      );
      process.stdout.write(output);
    });
}
