import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsTimeZone, Max, Min, ValidateNested } from 'class-validator';
import { RetryPolicyInput } from '../../calls/retry-policy';
import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsClockTime, IsE164, IsEntityId, IsSafeText } from '../../shared/validation';
import type { CallingWindow } from '../campaign.events';

export class CallingWindowInput implements CallingWindow {
  @IsClockTime() start!: string;
  @IsClockTime({ endOfDay: true }) end!: string;
}

/** Defines a campaign in draft; contacts are imported next, then it is started. */
export class CreateCampaign extends SirenCommand {
  readonly type = 'CreateCampaign' as const;

  @IsEntityId() campaignId!: string;
  @IsSafeText(200) name!: string;
  /** The agent who owns the campaign and receives its "pressed 1" alerts. */
  @IsEntityId() agentId!: string;
  @IsTimeZone() timeZone!: string;
  @IsObject() @ValidateNested() @Type(() => CallingWindowInput) callingWindow!: CallingWindowInput;
  /** Omitted: the default policy (3 attempts, 30 minutes apart, on busy / no-answer / …). */
  @IsOptional() @IsObject() @ValidateNested() @Type(() => RetryPolicyInput) retryPolicy?: RetryPolicyInput;
  @IsInt() @Min(1) @Max(1000) maxConcurrentCalls!: number;
  @IsEntityId() route!: string;
  @IsOptional() @IsE164() callerId?: string;

  constructor(props: CommandProps<CreateCampaign>) {
    super();
    Object.assign(this, props);
  }
}
