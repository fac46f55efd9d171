import { Matches } from 'class-validator';
import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsEntityId, IsSafeText } from '../../shared/validation';

/** A Telegram user asks to become an agent (`/start`); an admin authorizes them afterwards. */
export class RegisterAgent extends SirenCommand {
  readonly type = 'RegisterAgent' as const;

  @IsEntityId() agentId!: string;
  /** Kept as a string: Telegram ids exceed 32 bits and must never be rounded. */
  @Matches(/^\d{1,20}$/, { message: '$property must be a Telegram user id (digits)' }) telegramUserId!: string;
  @IsSafeText(100) name!: string;

  constructor(props: CommandProps<RegisterAgent>) {
    super();
    Object.assign(this, props);
  }
}
