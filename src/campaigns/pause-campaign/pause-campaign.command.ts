import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsEntityId } from '../../shared/validation';

/** Stops placing new calls; calls in progress finish. */
export class PauseCampaign extends SirenCommand {
  readonly type = 'PauseCampaign' as const;

  @IsEntityId() campaignId!: string;

  constructor(props: CommandProps<PauseCampaign>) {
    super();
    Object.assign(this, props);
  }
}
