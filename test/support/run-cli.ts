import { spawn, SpawnOptions } from 'node:child_process';
import { join } from 'node:path';

export const SIREN_BIN = join(__dirname, '..', '..', 'bin', 'siren.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `siren` command (npm test builds dist/ first) with exactly the environment
 * given — never the developer's own DATABASE_URL or EVENTSTORE_URL by accident.
 */
export function runCli(args: string[], env: Record<string, string> = {}, options: SpawnOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SIREN_BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...options,
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
