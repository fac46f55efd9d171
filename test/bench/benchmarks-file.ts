import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';

/**
 * BENCHMARKS.md holds one section per benchmark group, between markers, so each group
 * (append, rebuild, AMI ingest, …) can be re-run and rewritten without touching the others.
 */
export function writeSection(file: string, group: string, markdown: string): void {
  const begin = `<!-- bench:${group} -->`;
  const end = `<!-- /bench:${group} -->`;
  const section = `${begin}\n${markdown.trim()}\n${end}`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nWritten by `npm run bench`. Figures are from the machine named in each section.\n';
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start >= 0 && stop > start) {
    text = text.slice(0, start) + section + text.slice(stop + end.length);
  } else {
    text = `${text.trimEnd()}\n\n${section}\n`;
  }
  writeFileSync(file, text);
}

export function machineLine(extra = ''): string {
  const cpu = cpus();
  const gib = (totalmem() / 1024 ** 3).toFixed(0);
  return `${new Date().toISOString().slice(0, 10)} · ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'} · ${gib} GiB · ${platform()} ${release()} · Node ${process.version}${extra ? ' · ' + extra : ''}`;
}

export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function formatRate(perSecond: number): string {
  return Math.round(perSecond).toLocaleString('en-US');
}
