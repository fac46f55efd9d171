import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsEntityId } from '../../shared/validation';
import { RetryPolicyInput } from '../retry-policy';

/** The campaign saga asks whether (and when) an ended attempt is dialed again, under its policy. */
export class ScheduleCallRetry extends SirenCommand {
  readonly type = 'ScheduleCallRetry' as const;

  @IsEntityId() callId!: string;
  @IsObject() @ValidateNested() @Type(() => RetryPolicyInput) retryPolicy!: RetryPolicyInput;

  constructor(props: CommandProps<ScheduleCallRetry>) {
    super();
    Object.assign(this, props);
  }
}
