import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsEntityId } from '../../shared/validation';

/** Asterisk accepted the Originate (OriginateResponse Success / Newchannel) and named the channel. */
export class RecordOriginated extends SirenCommand {
  readonly type = 'RecordOriginated' as const;

  @IsEntityId() callId!: string;
  @IsEntityId() channel!: string;
  @IsEntityId() uniqueId!: string;
  @IsEntityId() trunk!: string;

  constructor(props: CommandProps<RecordOriginated>) {
    super();
    Object.assign(this, props);
  }
}
