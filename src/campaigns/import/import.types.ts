import type { CountryCode } from 'libphonenumber-js';

/** Per-line rejection codes. Stable: the UI and reports key translations off them. */
export type InvalidNumberCode =
  | 'NOT_A_NUMBER'
  | 'INVALID_COUNTRY'
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'INVALID_LENGTH'
  | 'INVALID_FOR_REGION'
  | 'HAS_EXTENSION'
  | 'MISSING_NUMBER';

export type ImportFormat = 'txt' | 'csv';

export interface ImportOptions {
  /**
   * Country assumed for numbers written without a country code ("212 555 0100").
   * Deliberately no implicit default: guessing the wrong country turns national numbers into
   * valid-looking wrong numbers. Without it, such lines are reported as INVALID_COUNTRY.
   */
  defaultRegion?: CountryCode;
  /** Upload size limit in bytes, checked before anything is decoded. Default 5 MB. */
  maxBytes?: number;
  /** Limit on candidate lines (numbers before validation). Default 100,000. */
  maxNumbers?: number;
  /** E.164 numbers that must never be dialled. */
  doNotCall?: ReadonlySet<string>;
}

/** A line (txt) or row (csv) that should hold a number, before validation. */
export interface Candidate {
  /** 1-based physical line in the file where the line/record starts. */
  line: number;
  /** Trimmed, untruncated text; '' when a CSV row has nothing in the phone column. */
  raw: string;
}

export interface ValidContact {
  line: number;
  raw: string;
  e164: string;
}

export interface InvalidLine {
  line: number;
  raw: string;
  code: InvalidNumberCode;
  reason: string;
}

export interface DuplicateLine {
  line: number;
  raw: string;
  e164: string;
  /** Line of the first occurrence, which is the one kept in `valid`. */
  firstLine: number;
}

export interface DoNotCallLine {
  line: number;
  raw: string;
  e164: string;
}

/** Which CSV column the numbers were read from, so the UI can show it to the agent. */
export interface CsvColumn {
  /** 0-based column index. */
  index: number;
  /** Header text, or null when the file has no header row. */
  header: string | null;
  delimiter: string;
}

export interface ImportResult {
  format: ImportFormat;
  /** Present for CSV imports only. */
  column?: CsvColumn;
  valid: ValidContact[];
  invalid: InvalidLine[];
  duplicates: DuplicateLine[];
  doNotCall: DoNotCallLine[];
  /** Physical lines in the file (a trailing newline does not start a new line). */
  totalLines: number;
  /** Lines/rows that were checked as numbers: valid + invalid + duplicates + doNotCall. */
  candidates: number;
}
