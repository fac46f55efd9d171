import { Type } from 'class-transformer';
import { IsInt, IsObject, Min, ValidateNested } from 'class-validator';
import type { Disposition } from '../../calls/disposition';
import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsEntityId } from '../../shared/validation';
import type { CampaignSummary } from '../campaign.events';

export class CampaignSummaryInput implements CampaignSummary {
  @IsInt() @Min(0) contacts!: number;
  @IsInt() @Min(0) calls!: number;
  @IsInt() @Min(0) answered!: number;
  @IsInt() @Min(0) pressedOne!: number;
  @IsObject() byDisposition!: Partial<Record<Disposition, number>>;
}

/** Sent by the campaign saga once every contact has reached a final outcome. */
export class CompleteCampaign extends SirenCommand {
  readonly type = 'CompleteCampaign' as const;

  @IsEntityId() campaignId!: string;
  @IsObject() @ValidateNested() @Type(() => CampaignSummaryInput) summary!: CampaignSummaryInput;

  constructor(props: CommandProps<CompleteCampaign>) {
    super();
    Object.assign(this, props);
  }
}
