import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsE164, IsEntityId } from '../../shared/validation';
import type { CallKind } from '../call.events';

/** Decides to place one call attempt; the AMI adapter originates it on seeing CallRequested. */
export class RequestCall extends SirenCommand {
  readonly type = 'RequestCall' as const;

  @IsEntityId() callId!: string;
  @IsOptional() @IsEntityId() campaignId?: string;
  @IsOptional() @IsEntityId() contactId?: string;
  @IsEntityId() agentId!: string;
  @IsE164() phone!: string;
  @IsInt() @Min(1) @Max(100) attempt!: number;
  /** Letters/digits, optionally `.n`: it is read out to agents and set as a channel variable. */
  @Matches(/^[A-Za-z0-9]{1,16}(\.[0-9]{1,6})?$/, { message: '$property must look like JKD1.7' })
  trackingId!: string;
  @IsIn(['autodial', 'agent-first']) kind!: CallKind;
  @IsOptional() @IsEntityId() route?: string;
  @IsOptional() @IsEntityId() trunk?: string;
  @IsOptional() @IsE164() callerId?: string;

  constructor(props: CommandProps<RequestCall>) {
    super();
    Object.assign(this, props);
  }
}
