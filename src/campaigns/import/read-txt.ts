import type { Candidate } from './import.types';

/**
 * One number per line. Lines are numbered as an editor shows them (CRLF, LF and old-Mac CR all
 * end a line) so agents can find the line we report. Blank lines and '#' comments are skipped:
 * people annotate their lists.
 */
export function readTxt(text: string): Candidate[] {
  const lines = text.split(/\r\n|\r|\n/);
  const candidates: Candidate[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    candidates.push({ line: i + 1, raw });
  }
  return candidates;
}
