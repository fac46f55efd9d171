import { IsIn, Matches } from 'class-validator';
import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsEntityId } from '../../shared/validation';
import type { DtmfSource } from '../call.events';

/** The callee pressed a key (DTMFEnd, or the dialplan's KeyPress/AutoDialResponse UserEvent). */
export class RecordDtmf extends SirenCommand {
  readonly type = 'RecordDtmf' as const;

  @IsEntityId() callId!: string;
  @Matches(/^[0-9*#A-D]$/, { message: '$property must be one DTMF digit (0-9, *, #, A-D)' }) digit!: string;
  @IsIn(['dtmf', 'userevent']) source!: DtmfSource;

  constructor(props: CommandProps<RecordDtmf>) {
    super();
    Object.assign(this, props);
  }
}
