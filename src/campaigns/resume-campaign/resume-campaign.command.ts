import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsEntityId } from '../../shared/validation';

/** Continues dialing a paused campaign. */
export class ResumeCampaign extends SirenCommand {
  readonly type = 'ResumeCampaign' as const;

  @IsEntityId() campaignId!: string;

  constructor(props: CommandProps<ResumeCampaign>) {
    super();
    Object.assign(this, props);
  }
}
