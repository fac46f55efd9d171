// class-transformer's @Type reads design-time metadata through this polyfill.
import 'reflect-metadata';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import {
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { DomainError } from './domain-error';

/**
 * E.164 by shape only. libphonenumber's metadata would reject the fictional ranges the PBX
 * simulator and tests dial (+1555…), and carriers decide reachability anyway.
 */
export const E164 = /^\+[1-9]\d{6,14}$/;
/** No control characters: ids end up in AMI channel variables, where CR/LF would inject actions. */
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]+$/;
/** 'HH:MM', 00:00–23:59. */
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function combine(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** A non-empty id (≤128 chars) safe to pass to Asterisk. */
export function IsEntityId(): PropertyDecorator {
  return combine(
    IsString(),
    IsNotEmpty(),
    MaxLength(128),
    Matches(NO_CONTROL_CHARACTERS, { message: '$property must not contain control characters' }),
  );
}

/** Free text (names, reasons) with the same AMI-safety rule as ids. */
export function IsSafeText(maxLength = 500): PropertyDecorator {
  return combine(
    IsString(),
    IsNotEmpty(),
    MaxLength(maxLength),
    Matches(NO_CONTROL_CHARACTERS, { message: '$property must not contain control characters' }),
  );
}

export function IsE164(): PropertyDecorator {
  return Matches(E164, { message: '$property must be an E.164 phone number (+ then 7–15 digits)' });
}

export function IsClockTime(opts: { endOfDay?: boolean } = {}): PropertyDecorator {
  // A window's end may be 24:00, so that a whole-day window (00:00–24:00) is never closed.
  if (opts.endOfDay) return Matches(END_CLOCK_TIME, { message: '$property must be a time of day HH:MM (24:00 for end of day)' });
  return Matches(CLOCK_TIME, { message: '$property must be a time of day HH:MM' });
}

const END_CLOCK_TIME = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** A refused command: nothing reached the decider, nothing was appended. */
export class CommandValidationError extends DomainError {
  constructor(
    readonly command: string,
    /** Dotted paths of the failing properties, e.g. `retryPolicy.maxAttempts`, `contacts.3.phone`. */
    readonly properties: string[],
    readonly messages: string[],
  ) {
    super('INVALID_COMMAND', `${command} is invalid: ${messages.join('; ')}`, {
      command,
      properties,
      messages,
    });
    this.name = 'CommandValidationError';
  }
}

function flatten(errors: ValidationError[], prefix = ''): { path: string; message: string }[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/**
 * Rebuilds the command through class-transformer (so nested plain objects become their classes
 * and their decorators apply), validates it, and returns the rebuilt instance. Throws
 * CommandValidationError naming every failing property.
 */
export function validateCommand<T extends object>(command: T): T {
  const type = command.constructor as ClassConstructor<T>;
  const instance = plainToInstance(type, { ...command });
  const errors = validateSync(instance, { forbidUnknownValues: true });
  if (errors.length > 0) {
    const failures = flatten(errors);
    const properties = [...new Set(failures.map((failure) => failure.path))];
    throw new CommandValidationError(
      type.name,
      properties,
      failures.map((failure) => failure.message),
    );
  }
  return instance;
}
