import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsEntityId } from '../../shared/validation';

/** The far end picked up (Newstate Up / DialEnd ANSWER). */
export class RecordAnswer extends SirenCommand {
  readonly type = 'RecordAnswer' as const;

  @IsEntityId() callId!: string;

  constructor(props: CommandProps<RecordAnswer>) {
    super();
    Object.assign(this, props);
  }
}
