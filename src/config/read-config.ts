import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ConfigError } from './config-error';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads one infrastructure piece's configuration from the environment into a validated, typed
 * object. Property names are the variable names, so an error names the variable as the operator
 * wrote it. Empty strings count as unset, because `FOO=` in an .env file means "not configured".
 */
export function readConfig<T extends object>(cls: new () => T, env: Env): T {
  const plain: Record<string, string> = {};
  for (const key of Object.keys(new cls())) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') plain[key] = value.trim();
  }
  const config = plainToInstance(cls, plain, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: false, stopAtFirstError: true });
  if (errors.length > 0) {
    const first = errors[0];
    const reason = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    throw new ConfigError(first.property, reason);
  }
  return config;
}
