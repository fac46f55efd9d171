import { ImportError, displayName } from './import.errors';

// `fatal` makes malformed bytes throw instead of silently becoming U+FFFD, which would otherwise
// turn a Latin-1 file into "valid" garbage lines. The default (ignoreBOM: false) strips a UTF-8 BOM.
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const LENIENT_UTF8 = new TextDecoder('utf-8');

/** Decodes the upload as UTF-8, refusing anything else with a message that says how to fix it. */
export function decodeUtf8(bytes: Uint8Array, filename: string): string {
  const name = displayName(filename);
  // Excel's "Unicode Text" export is UTF-16 with a BOM: name it, since agents will hit it.
  if (hasUtf16Bom(bytes)) {
    throw new ImportError(
      'NOT_UTF8',
      `${name} is saved as UTF-16 ("Unicode text"). Save it as UTF-8 (for example "CSV UTF-8") and upload it again.`,
      { filename, encoding: 'utf-16' },
    );
  }
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    const line = firstBadLine(bytes);
    throw new ImportError(
      'NOT_UTF8',
      `${name} is not UTF-8 text (first bad character on line ${line}). Save it as UTF-8 (for example "CSV UTF-8") and upload it again.`,
      { filename, line },
    );
  }
}

export function hasUtf16Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

/** Only runs on the error path: the lenient decode marks the bad bytes with U+FFFD. */
function firstBadLine(bytes: Uint8Array): number {
  const text = LENIENT_UTF8.decode(bytes);
  const at = text.indexOf('\uFFFD');
  if (at < 0) return 1;
  return countLineBreaks(text.slice(0, at)) + 1;
}

const LINE_BREAK = /\r\n|\r|\n/g;

export function countLineBreaks(text: string): number {
  return text.match(LINE_BREAK)?.length ?? 0;
}

/** Physical lines, as an editor would number them: "a\nb\n" has 2, "a\nb" has 2, "" has 0. */
export function countLines(text: string): number {
  if (text === '') return 0;
  const breaks = countLineBreaks(text);
  return /(\r\n|\r|\n)$/.test(text) ? breaks : breaks + 1;
}
