// class-transformer's @Type reads design-time metadata through this polyfill.
import 'reflect-metadata';
import { Command } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import { IsEntityId } from './validation';

/** Who and what caused a command; copied onto the metadata of every event it appends. */
export class CommandMeta {
  @IsOptional() @IsEntityId() correlationId?: string;
  @IsOptional() @IsEntityId() causationId?: string;
  /** `agent:<id>`, `admin:<id>`, `system:saga`, `cli`, … */
  @IsOptional() @IsEntityId() actor?: string;
}

/** What every command handler returns: where the events went. */
export interface CommandOutcome {
  streamId: string;
  /** Revision of the stream's last event after the command; null if the stream still does not exist. */
  revision: number | null;
  /** Number of events appended; 0 when the command was already satisfied. */
  appended: number;
}

/**
 * Base of every Siren command. `type` is the discriminant the deciders switch on; the result
 * type is what `CommandBus.execute` resolves to.
 */
export abstract class SirenCommand<Result = CommandOutcome> extends Command<Result> {
  abstract readonly type: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => CommandMeta)
  meta?: CommandMeta;
}

/** The constructor argument of a command: its own fields, without the discriminant. */
export type CommandProps<C> = {
  [K in keyof C as K extends 'type' ? never : K extends string ? K : never]: C[K];
};
