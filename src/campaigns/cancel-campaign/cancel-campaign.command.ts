import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsEntityId, IsSafeText } from '../../shared/validation';

/** Stops a campaign for good; the saga hangs up its live calls when it sees CampaignCancelled. */
export class CancelCampaign extends SirenCommand {
  readonly type = 'CancelCampaign' as const;

  @IsEntityId() campaignId!: string;
  @IsSafeText() reason!: string;

  constructor(props: CommandProps<CancelCampaign>) {
    super();
    Object.assign(this, props);
  }
}
