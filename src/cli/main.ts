import 'reflect-metadata';
import { ConfigError } from '../config';
import { DomainError } from '../shared/domain-error';
import { buildProgram } from './program';

/**
 * Entry point of the `siren` command. Expected failures (bad configuration, refused input) end
 * with one line on stderr and exit code 1 — no stack trace for an operator to decode.
 */
async function main(argv: string[]): Promise<void> {
  try {
    await (await buildProgram(argv)).parseAsync(argv);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DomainError) {
      process.stderr.write(`siren: ${error.message}\n`);
    } else {
      process.stderr.write(`siren: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
    }
    process.exitCode = 1;
  }
}

void main(process.argv);
