import { csvRecord, CsvCell, spreadsheetSafe } from '../../shared/csv';

/** Audit exports carry people's free text anywhere (names, reasons): every cell is guarded. */
const csvRow = (cells: readonly CsvCell[]): string => csvRecord(cells.map(spreadsheetSafe));
import type { AggregateStateAsOf, History, HistorySubject, StateAsOf } from './history.types';

export type HistoryFormat = 'text' | 'json' | 'csv';

export function describeSubject(subject: HistorySubject): string {
  return subject.kind === 'number' ? `number ${subject.phone}` : `${subject.kind} ${subject.id}`;
}

/** The timeline in one of the three formats; text ends with a newline like the others. */
export function formatHistory(history: History, format: HistoryFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(history, null, 2) + '\n';
    case 'csv':
      return historyCsv(history);
    case 'text':
      return historyText(history);
  }
}

export function formatStateAsOf(result: StateAsOf, format: HistoryFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(result, null, 2) + '\n';
    case 'csv':
      return stateCsv(result);
    case 'text':
      return stateText(result);
  }
}

const HISTORY_COLUMNS = ['time', 'stream', 'revision', 'position', 'event', 'schema_version', 'actor', 'details', 'event_id', 'data'];

function historyCsv({ entries }: History): string {
  const rows = entries.map((e) =>
    csvRow([e.at, e.streamId, e.revision, e.position, e.type, e.schemaVersion, e.actor, e.details, e.eventId, JSON.stringify(e.data)]),
  );
  return csvRow(HISTORY_COLUMNS) + rows.join('');
}

function historyText(history: History): string {
  const { subject, entries, streams } = history;
  if (entries.length === 0) return `no events for ${describeSubject(subject)} in the event store (never dialed)\n`;
  const header = `history of ${describeSubject(subject)}: ${entries.length} event(s) in ${streams.length} stream(s)`;
  const rows = [
    ['TIME', 'STREAM', 'REV', 'EVENT', 'ACTOR', 'DETAILS'],
    ...entries.map((e) => [e.at, e.streamId, String(e.revision), e.type, e.actor ?? '-', e.details]),
  ];
  return [header, ...alignColumns(rows)].join('\n') + '\n';
}

/** Pads every column but the last to its widest cell, two spaces apart. */
function alignColumns(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) =>
    row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd(),
  );
}

function stateText({ subject, asOf, aggregates }: StateAsOf): string {
  if (aggregates.length === 0) return `no calls to ${describeSubject(subject)} had begun by ${asOf}\n`;
  const lines = [`state of ${describeSubject(subject)} as of ${asOf}`];
  for (const aggregate of aggregates) {
    lines.push('', aggregateHeading(aggregate));
    for (const [field, value] of stateFields(aggregate)) lines.push(`  ${field}: ${value}`);
  }
  return lines.join('\n') + '\n';
}

function aggregateHeading(a: AggregateStateAsOf): string {
  if (a.lastApplied === null) return `${a.streamId}: did not exist yet (0 of ${a.eventsTotal} event(s) had happened)`;
  const { type, revision, at } = a.lastApplied;
  return `${a.streamId}: ${a.eventsApplied} of ${a.eventsTotal} event(s) applied, last ${type} (revision ${revision}) at ${at}`;
}

function stateFields(aggregate: AggregateStateAsOf): [string, string][] {
  const state = (aggregate.state ?? {}) as Record<string, unknown>;
  return Object.entries(state).map(([field, value]) => [field, typeof value === 'string' ? value : JSON.stringify(value)]);
}

function stateCsv({ asOf, aggregates }: StateAsOf): string {
  const rows = aggregates.flatMap((a) =>
    stateFields(a).map(([field, value]) => csvRow([asOf, a.streamId, a.kind, a.eventsApplied, field, value])),
  );
  return csvRow(['as_of', 'stream', 'kind', 'events_applied', 'field', 'value']) + rows.join('');
}
