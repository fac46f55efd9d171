import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsEntityId } from '../../shared/validation';

/** An admin withdraws an agent's access (`/deauthorize`). */
export class DeauthorizeAgent extends SirenCommand {
  readonly type = 'DeauthorizeAgent' as const;

  @IsEntityId() agentId!: string;
  /** The admin, e.g. `admin:<telegram id>`. */
  @IsEntityId() by!: string;

  constructor(props: CommandProps<DeauthorizeAgent>) {
    super();
    Object.assign(this, props);
  }
}
