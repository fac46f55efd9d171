import { SingleBar, Presets } from 'cli-progress';

type Bar = Pick<SingleBar, 'start' | 'update' | 'stop' | 'setTotal'>;

/**
 * A progress bar on stderr for long work, shown only on a terminal so that piped or --json output
 * stays clean. `rate` names what is counted (e.g. 'events'): the bar then shows them per second
 * and the ETA given with each update (payload `{ rate, etaLeft }`), which the caller measures itself.
 */
export function progressBar(label: string, enabled = process.stderr.isTTY === true, opts: { rate?: string } = {}): Bar {
  if (!enabled) return { start() {}, update() {}, stop() {}, setTotal() {} };
  const format = opts.rate
    ? `${label} [{bar}] {percentage}% | {value}/{total} ${opts.rate} | {rate} ${opts.rate}/s | ETA {etaLeft}`
    : `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`;
  return new SingleBar({ format, stream: process.stderr, hideCursor: true }, Presets.shades_classic);
}
