import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsInt, Min, ValidateNested } from 'class-validator';
import { SirenCommand, type CommandProps } from '../../shared/command';
import { IsE164, IsEntityId } from '../../shared/validation';
import { MAX_CONTACTS_PER_CHUNK, type Contact } from '../campaign.events';

export class ContactInput implements Contact {
  @IsEntityId() contactId!: string;
  @IsE164() phone!: string;
}

/** Adds one chunk of an uploaded list; the importer has already dropped invalid, duplicate and DNC lines. */
export class ImportContacts extends SirenCommand {
  readonly type = 'ImportContacts' as const;

  @IsEntityId() campaignId!: string;
  /** 0-based position of this chunk in the upload; a chunk imported twice is recorded once. */
  @IsInt() @Min(0) chunkIndex!: number;
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_CONTACTS_PER_CHUNK)
  @ValidateNested({ each: true })
  @Type(() => ContactInput)
  contacts!: ContactInput[];

  constructor(props: CommandProps<ImportContacts>) {
    super();
    Object.assign(this, props);
  }
}
