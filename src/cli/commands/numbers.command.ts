import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../../config';
import { importNumbers, summarizeImport } from '../../campaigns/import/number-import';
import { DomainError } from '../../shared/domain-error';
import { fileTooLarge } from '../../campaigns/import/import.errors';

export function numbersCommand(): Command {
  const numbers = new Command('numbers').description('work with numbers files for auto-dial campaigns');
  numbers
    .command('check <file>')
    .description('validate a .txt or .csv numbers file the way an upload is validated; changes nothing')
    .option('--region <CC>', 'region for numbers without a country code (default SIREN_DEFAULT_REGION)')
    .option('--json', 'print the whole result as JSON')
    .action((file: string, opts: { region?: string; json?: boolean }) => {
      const { app } = loadConfig();
      const bytes = readUpload(file, app.SIREN_IMPORT_MAX_BYTES);
      const result = importNumbers(bytes, basename(file), {
        defaultRegion: (opts.region ?? app.SIREN_DEFAULT_REGION) as never,
        maxBytes: app.SIREN_IMPORT_MAX_BYTES,
        maxNumbers: app.SIREN_IMPORT_MAX_NUMBERS,
      });
      if (opts.json) {
        process.stdout.write(JSON.stringify(result, null, 2) + '\n');
        return;
      }
      for (const line of result.invalid) process.stdout.write(`line ${line.line}: ${line.raw} — ${line.reason}\n`);
      for (const line of result.duplicates) process.stdout.write(`line ${line.line}: ${line.raw} duplicates line ${line.firstLine}\n`);
      process.stdout.write(`${summarizeImport(result)}\n`);
    });
  return numbers;
}

/** Refuses a file too large before reading it into memory. */
function readUpload(file: string, maxBytes: number): Buffer {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new DomainError('FILE_NOT_FOUND', `cannot read ${file}`);
  }
  if (size > maxBytes) throw fileTooLarge(file, size, maxBytes);
  return readFileSync(file);
}
