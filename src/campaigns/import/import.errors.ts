import { DomainError } from '../../shared/domain-error';

/** Whole-file refusals. Stable codes; messages are written for a call-center agent. */
export type ImportErrorCode =
  | 'FILE_TOO_LARGE'
  | 'TOO_MANY_NUMBERS'
  | 'BINARY_CONTENT'
  | 'NOT_UTF8'
  | 'EMPTY_FILE'
  | 'UNSUPPORTED_FORMAT'
  | 'MALFORMED_CSV'
  | 'INVALID_OPTIONS';

export class ImportError extends DomainError {
  declare readonly code: ImportErrorCode;

  constructor(code: ImportErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'ImportError';
  }
}

/** Refused before parsing — callers that stream an upload can refuse before reading it all. */
export function fileTooLarge(filename: string, bytes: number, maxBytes: number): ImportError {
  return new ImportError(
    'FILE_TOO_LARGE',
    `${displayName(filename)} is ${formatBytes(bytes, true)}; the limit is ${formatBytes(maxBytes)}. Split it into smaller files.`,
    { filename, bytes, maxBytes },
  );
}

/**
 * Browsers may send "C:\fakepath\numbers.txt"; agents only need the file's own name.
 * Empty names still have to read well inside a sentence.
 */
export function displayName(filename: string): string {
  const base = filename.split(/[\\/]/).pop()?.trim() ?? '';
  return base === '' ? 'The file' : base;
}

const MB = 1024 * 1024;
const KB = 1024;

/**
 * "7.2 MB", "5 MB", "830 KB". `roundUp` is for the size being refused: 5 MB + 1 byte must not
 * read "5 MB; the limit is 5 MB".
 */
export function formatBytes(bytes: number, roundUp = false): string {
  const round = (n: number): string => {
    const r = (roundUp ? Math.ceil(n * 10) : Math.round(n * 10)) / 10;
    return formatCount(r);
  };
  if (bytes >= MB) return `${round(bytes / MB)} MB`;
  if (bytes >= KB) return `${round(bytes / KB)} KB`;
  return `${formatCount(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function formatCount(n: number): string {
  return COUNT.format(n);
}
