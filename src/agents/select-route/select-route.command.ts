import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsEntityId } from '../../shared/validation';

/** Which configured route (main / red / black …) the agent's calls leave through (`/route`). */
export class SelectRoute extends SirenCommand {
  readonly type = 'SelectRoute' as const;

  @IsEntityId() agentId!: string;
  @IsEntityId() route!: string;

  constructor(props: CommandProps<SelectRoute>) {
    super();
    Object.assign(this, props);
  }
}
