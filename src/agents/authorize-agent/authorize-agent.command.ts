import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsEntityId } from '../../shared/validation';

/** An admin lets a registered agent use the bot (`/authorize`). */
export class AuthorizeAgent extends SirenCommand {
  readonly type = 'AuthorizeAgent' as const;

  @IsEntityId() agentId!: string;
  /** The admin, e.g. `admin:<telegram id>`. */
  @IsEntityId() by!: string;

  constructor(props: CommandProps<AuthorizeAgent>) {
    super();
    Object.assign(this, props);
  }
}
