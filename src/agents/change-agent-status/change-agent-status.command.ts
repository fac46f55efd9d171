import { IsIn } from 'class-validator';
import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsEntityId, IsSafeText } from '../../shared/validation';
import type { AgentPresence } from '../agent.events';

/** Moves the agent through offline / available / on-call / wrap-up, driven by the bot and the call saga. */
export class ChangeAgentStatus extends SirenCommand {
  readonly type = 'ChangeAgentStatus' as const;

  @IsEntityId() agentId!: string;
  @IsIn(['offline', 'available', 'on-call', 'wrap-up']) to!: AgentPresence;
  @IsSafeText(200) reason!: string;

  constructor(props: CommandProps<ChangeAgentStatus>) {
    super();
    Object.assign(this, props);
  }
}
