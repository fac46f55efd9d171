import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImportError } from '../../../src/campaigns/import/import.errors';
import type { ImportErrorCode } from '../../../src/campaigns/import/import.errors';

export const fixture = (name: string): Buffer => readFileSync(join(__dirname, '../../fixtures/numbers', name));

export const text = (s: string): Buffer => Buffer.from(s, 'utf8');

/** Runs fn and returns the ImportError it throws, failing the test if it throws nothing else. */
export function refusal(fn: () => unknown): ImportError & { code: ImportErrorCode } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return err as ImportError;
  }
  throw new Error('expected an ImportError, nothing was thrown');
}
