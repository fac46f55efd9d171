import { Command } from 'commander';
import { verifyStreams } from '../../audit/verify-streams';
import { progressBar } from '../progress';
import { withEventStore } from '../with-event-store';

export function auditCommand(): Command {
  const audit = new Command('audit').description('prove the event log has not been tampered with');
  audit
    .command('verify')
    .description('walk every stream\'s hash chain and report the first broken link; exit 1 if any')
    .option('--stream <id>', 'verify one stream, e.g. call-42')
    .option('--prefix <prefix>', 'verify the streams whose id starts with this, e.g. campaign-')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { stream?: string; prefix?: string; json?: boolean }) => {
      const report = await withEventStore(async (store) => {
        const bar = progressBar('verifying streams', !opts.json && process.stderr.isTTY === true);
        let started = false;
        const result = await verifyStreams(store, {
          streamId: opts.stream,
          prefix: opts.prefix,
          onProgress: (done, total) => {
            if (!started) { bar.start(total, 0); started = true; }
            bar.update(done);
          },
        });
        if (started) bar.stop();
        return result;
      });
      if (opts.json) {
        process.stdout.write(JSON.stringify({ ok: report.broken.length === 0, ...report }, null, 2) + '\n');
      } else {
        for (const b of report.broken) {
          process.stdout.write(`BROKEN ${b.streamId} at revision ${b.revision}: ${b.detail}\n`);
        }
        const verdict = report.broken.length === 0 ? 'OK' : `${report.broken.length} broken stream(s)`;
        process.stdout.write(`verified ${report.streams} stream(s), ${report.events} event(s): ${verdict}\n`);
      }
      if (report.broken.length > 0) process.exitCode = 1;
    });
  return audit;
}
