import { SingleBar, Presets } from 'cli-progress';

/**
 * A progress bar on stderr for long work, shown only on a terminal so that piped or --json output
 * stays clean.
 */
export function progressBar(label: string, enabled = process.stderr.isTTY === true) {
  if (!enabled) return { start() {}, update() {}, stop() {} } as Pick<SingleBar, 'start' | 'update' | 'stop'>;
  return new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
}
