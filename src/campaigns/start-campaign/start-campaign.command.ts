import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsEntityId } from '../../shared/validation';

/** Starts dialing a drafted campaign. */
export class StartCampaign extends SirenCommand {
  readonly type = 'StartCampaign' as const;

  @IsEntityId() campaignId!: string;

  constructor(props: CommandProps<StartCampaign>) {
    super();
    Object.assign(this, props);
  }
}
