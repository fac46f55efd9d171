import { formatCount } from './import.errors';
import type { ImportResult } from './import.types';

/**
 * One line for the agent: "9,874 valid, 12 invalid, 3 duplicates, 2 on the do-not-call list".
 * The valid count is always shown; categories with nothing in them are left out.
 */
export function summarizeImport(
  result: Pick<ImportResult, 'valid' | 'invalid' | 'duplicates' | 'doNotCall'>,
): string {
  const parts = [`${formatCount(result.valid.length)} valid`];
  if (result.invalid.length > 0) parts.push(`${formatCount(result.invalid.length)} invalid`);
  if (result.duplicates.length > 0) {
    const n = result.duplicates.length;
    parts.push(`${formatCount(n)} ${n === 1 ? 'duplicate' : 'duplicates'}`);
  }
  if (result.doNotCall.length > 0) parts.push(`${formatCount(result.doNotCall.length)} on the do-not-call list`);
  return parts.join(', ');
}
