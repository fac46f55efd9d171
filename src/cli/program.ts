import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command } from 'commander';

/**
 * Each command's module, loaded on demand: `start` pulls in NestJS, the Telegram bot and the AMI
 * client, which a `projections rebuild` or `audit verify` never uses -- loading them all cost every
 * command ~30 MB of memory and a good part of its start-up. Listed in `--help` order.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./commands/start.command')).startCommand(),
  audit: async () => (await import('./commands/audit.command')).auditCommand(),
  history: async () => (await import('./commands/history.command')).historyCommand(),
  numbers: async () => (await import('./commands/numbers.command')).numbersCommand(),
  report: async () => (await import('./commands/report.command')).reportCommand(),
  demo: async () => (await import('./commands/demo.command')).demoCommand(),
  projections: async () => (await import('./commands/projections.command')).projectionsCommand(),
};

/**
 * The `siren` program for `argv` (process.argv): when it names a command, only that command is
 * loaded; anything else (`--help`, `help`, a typo) loads them all, so help lists every command and
 * a mistyped one gets commander's suggestion.
 */
export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('siren')
    .description('Siren: event-sourced outbound call-center backend for Asterisk.\nConfiguration comes from the environment; see .env.example.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)');
  const named = argv[2];
  const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const name of wanted) program.addCommand(await COMMANDS[name]());
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
