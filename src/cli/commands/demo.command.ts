import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Contact } from '../../campaigns/campaign.events';
import { loadConfig } from '../../config';
import { openPgliteEventStore } from '../../eventstore/postgres';
import { createLogger } from '../../shared/logger';
import { runSimulatedCampaign, type SimulatedCampaignResult } from '../../telephony/dialer';
import { mulberry32 } from '../../telephony/simulator/prng';
import type { OutcomeMix } from '../../telephony/simulator/outcome';
import { progressBar } from '../progress';

/** The far end of a plausible outbound list, as the built-in PBX plays it under `siren start`. */
const REALISTIC_MIX: OutcomeMix = { answer: 55, busy: 12, noAnswer: 20, congestion: 5, failed: 3, carrierFailure: 3, invalidNumber: 2, pressedOne: 25, machine: 15 };

interface DemoOptions {
  numbers: number;
  seed: number;
  timeScale: number;
  json?: boolean;
  keep?: boolean;
  logLevel: string;
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('dial a generated campaign against the built-in PBX simulator in a throw-away embedded store, then print a summary')
    .option('--numbers <N>', 'how many numbers to dial (1–10000)', integer(1, 10_000), 200)
    .option('--seed <S>', 'seed of the numbers and the simulated outcomes', integer(0, 2 ** 32 - 1), 1)
    .option('--time-scale <X>', 'simulated time runs X times faster (30-minute retries pass in 1800/X s)', positive, 200)
    .option('--json', 'print exactly one JSON object on stdout')
    .option('--keep', 'keep the temporary data directory and print where it is')
    .addOption(
      new Option('--log-level <level>', 'log level of the run (the demo shows a progress bar and a summary instead)')
        .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
        .default('warn'),
    )
    .action(async (opts: DemoOptions) => {
      const config = loadConfig();
      const logger = createLogger(opts.logLevel);
      const dataDir = mkdtempSync(join(tmpdir(), 'siren-demo-'));
      const contacts = demoContacts(opts.numbers, opts.seed);
      const bar = progressBar('dialing');
      bar.start(contacts.length, 0);
      let result: SimulatedCampaignResult;
      const eventStore = await openPgliteEventStore(dataDir);
      try {
        result = await runSimulatedCampaign({
          eventStore,
          config,
          logger,
          contacts,
          seed: opts.seed,
          timeScale: opts.timeScale,
          outcomes: REALISTIC_MIX,
          campaignId: `demo-${opts.seed}`,
          onProgress: (done) => bar.update(done),
        });
      } finally {
        bar.stop();
        await eventStore.close();
        if (!opts.keep) rmSync(dataDir, { recursive: true, force: true });
      }
      printResult(result, opts, dataDir);
    });
}

function printResult(result: SimulatedCampaignResult, opts: DemoOptions, dataDir: string): void {
  const { summary } = result;
  const report = {
    campaignId: result.campaignId,
    numbers: summary.contacts,
    attempts: summary.calls,
    dispositions: summary.byDisposition,
    pressedOne: summary.pressedOne,
    durationMs: result.durationMs,
  };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  const lines = [
    `campaign ${report.campaignId} completed: ${report.numbers} numbers, ${report.attempts} attempts in ${(report.durationMs / 1000).toFixed(1)} s (time scale ${opts.timeScale}×)`,
    ...Object.entries(summary.byDisposition)
      .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))
      .map(([disposition, count]) => `  ${disposition.padEnd(16)} ${String(count).padStart(6)}`),
    `  pressed 1        ${String(report.pressedOne).padStart(6)}`,
    `PBX simulator: ${result.simulator.originated} originates, ${result.simulator.duplicateCallIds.length} call ids dialed twice`,
  ];
  if (opts.keep) lines.push(`event store kept in ${dataDir} (SIREN_DATA_DIR=${dataDir} siren audit verify)`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** N distinct fictional US numbers (+1 202 555 xxxx), shuffled by the seed so outcomes vary. */
export function demoContacts(count: number, seed: number): Contact[] {
  const random = mulberry32(seed);
  const suffixes = Array.from({ length: 10_000 }, (_, i) => i);
  for (let i = suffixes.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [suffixes[i], suffixes[j]] = [suffixes[j]!, suffixes[i]!];
  }
  return suffixes.slice(0, count).map((suffix, i) => ({ contactId: `demo-contact-${i + 1}`, phone: `+1202555${String(suffix).padStart(4, '0')}` }));
}

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return n;
  };
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 100_000) throw new InvalidArgumentError('must be a number above 0 (at most 100000)');
  return n;
}
