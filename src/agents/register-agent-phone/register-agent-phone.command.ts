import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsE164, IsEntityId } from '../../shared/validation';

/** The phone that rings first on the agent's agent-first calls (`/register <phone>`). */
export class RegisterAgentPhone extends SirenCommand {
  readonly type = 'RegisterAgentPhone' as const;

  @IsEntityId() agentId!: string;
  @IsE164() phone!: string;

  constructor(props: CommandProps<RegisterAgentPhone>) {
    super();
    Object.assign(this, props);
  }
}
