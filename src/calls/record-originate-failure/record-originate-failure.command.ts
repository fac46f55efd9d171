import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsEntityId, IsSafeText } from '../../shared/validation';

/** Asterisk refused or could not place the Originate; no channel ever existed. */
export class RecordOriginateFailure extends SirenCommand {
  readonly type = 'RecordOriginateFailure' as const;

  @IsEntityId() callId!: string;
  @IsSafeText() reason!: string;

  constructor(props: CommandProps<RecordOriginateFailure>) {
    super();
    Object.assign(this, props);
  }
}
