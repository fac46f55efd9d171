import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsEntityId, IsSafeText } from '../../shared/validation';
import { DISPOSITIONS, type Disposition } from '../disposition';

/** The call's channel went away (AMI Hangup). */
export class RecordHangup extends SirenCommand {
  readonly type = 'RecordHangup' as const;

  @IsEntityId() callId!: string;
  @IsInt() @Min(0) @Max(127) cause!: number;
  @IsOptional() @IsSafeText(200) causeText?: string;
  /** Overrides the disposition derived from the cause, e.g. `cancelled` when we hung up ourselves. */
  @IsOptional() @IsIn(DISPOSITIONS) disposition?: Disposition;

  constructor(props: CommandProps<RecordHangup>) {
    super();
    Object.assign(this, props);
  }
}
