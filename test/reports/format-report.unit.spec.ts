import { formatCampaignReport, formatFreshness, formatSummaryReport, type CampaignReport, type SummaryReport } from '../../src/reports';
import { expectedFigures } from './report-scenario';

const at = { position: 7n, head: 7n };

describe('report formatting', () => {
  it('says where the read models stand against the event store', () => {
    expect(formatFreshness({ position: 7n, head: 7n })).toBe('read models at position 7 of 7 (up to date)\n');
    expect(formatFreshness({ position: 5n, head: 9n })).toBe('read models at position 5 of 9 (behind the event store; `siren start` catches them up)\n');
    expect(formatFreshness({ position: 5n, head: null, headError: 'EVENTSTORE_URL: unreachable' })).toBe(
      'read models at position 5 (event store head unknown: EVENTSTORE_URL: unreachable)\n',
    );
  });

  it('prints a campaign known only from its calls, without calls ended yet', () => {
    const report: CampaignReport = { campaignId: 'x', campaign: null, figures: expectedFigures([]), dispositions: [] };
    const text = formatCampaignReport(report, 'table', at);
    expect(text).toContain('Campaign x\n  (no campaign events in the read models yet: known only from its calls)\n');
    expect(text).toMatch(/^ {2}answer rate +—$/m);
    expect(text).toMatch(/^ {2}ACD +—$/m);
    expect(text).toContain('Disposition mix (ended attempts)\n  none ended yet\n');
    // CSV: settings empty, rates empty (nothing to divide by), every disposition 0.
    const [, record] = formatCampaignReport(report, 'csv', at).split('\r\n');
    expect(record).toBe(['x', ...Array(23).fill(''), ...Array(8).fill(0), '', '', '', '', ...Array(26).fill(0)].join(','));
  });

  it('keeps empty keys in CSV and JSON but names them in the table', () => {
    const figures = expectedFigures([]);
    const report: SummaryReport = { by: 'campaign', from: null, to: null, rows: [{ key: '', ...figures, attempts: 1 }], total: { ...figures, attempts: 1 } };
    expect(formatSummaryReport(report, 'table', at).split('\n')[2]).toMatch(/^\(no campaign\) +1 +0 +0 /);
    expect(formatSummaryReport(report, 'csv', at).split('\r\n')[1]).toBe(',1,0,0,0,0,0,0,0,,,,');
    expect(JSON.parse(formatSummaryReport(report, 'json', at)).rows[0].key).toBe('');
    expect(formatSummaryReport({ ...report, rows: [], from: '2026-11-21T00:00:00.000Z' }, 'table', at)).toBe(
      'Calls by campaign, requested from 2026-11-21T00:00:00.000Z to now (exclusive)\nno calls in this interval\n',
    );
  });
});
