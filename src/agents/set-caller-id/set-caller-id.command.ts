import { IsIn } from 'class-validator';
import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsE164, IsEntityId } from '../../shared/validation';
import type { CallerIdKind } from '../agent.events';

/** The number the agent's manual or auto-dial calls present (`/callerid`). */
export class SetCallerId extends SirenCommand {
  readonly type = 'SetCallerId' as const;

  @IsEntityId() agentId!: string;
  @IsIn(['manual', 'autodial']) kind!: CallerIdKind;
  @IsE164() callerId!: string;

  constructor(props: CommandProps<SetCallerId>) {
    super();
    Object.assign(this, props);
  }
}
