import { IsIn, IsOptional } from 'class-validator';
import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsEntityId, IsSafeText } from '../../shared/validation';
import type { AmdResult } from '../call.events';

/** The answering-machine detector's verdict on an answered call. */
export class RecordAmdResult extends SirenCommand {
  readonly type = 'RecordAmdResult' as const;

  @IsEntityId() callId!: string;
  @IsIn(['human', 'machine', 'notsure']) result!: AmdResult;
  @IsOptional() @IsSafeText(200) cause?: string;

  constructor(props: CommandProps<RecordAmdResult>) {
    super();
    Object.assign(this, props);
  }
}
