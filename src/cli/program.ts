import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { auditCommand } from './commands/audit.command';
import { demoCommand } from './commands/demo.command';
import { historyCommand } from './commands/history.command';
import { numbersCommand } from './commands/numbers.command';
import { projectionsCommand } from './commands/projections.command';
import { reportCommand } from './commands/report.command';
import { startCommand } from './commands/start.command';

export function buildProgram(): Command {
  const program = new Command('siren')
    .description('Siren: event-sourced outbound call-center backend for Asterisk.\nConfiguration comes from the environment; see .env.example.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)');
  program.addCommand(startCommand());
  program.addCommand(auditCommand());
  program.addCommand(historyCommand());
  program.addCommand(numbersCommand());
  program.addCommand(reportCommand());
  program.addCommand(demoCommand());
  program.addCommand(projectionsCommand());
  return program;
}

/** The version from package.json, found whether we run from src/ (tests) or dist/src/. */
function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).version;
  }
  return 'unknown';
}
