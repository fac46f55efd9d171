import { IsBoolean } from 'class-validator';
import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsEntityId } from '../../shared/validation';

/** An admin grants (or, with `granted: false`, revokes) the auto-dial feature (`/grant`). */
export class GrantAutodial extends SirenCommand {
  readonly type = 'GrantAutodial' as const;

  @IsEntityId() agentId!: string;
  @IsBoolean() granted!: boolean;
  @IsEntityId() by!: string;

  constructor(props: CommandProps<GrantAutodial>) {
    super();
    Object.assign(this, props);
  }
}
