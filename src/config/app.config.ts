import { Transform } from 'class-transformer';
import { IsIn, IsInt, Matches, Max, Min } from 'class-validator';

// class-validator checks the decorator nearest the property first; with stopAtFirstError the
// operator sees the most basic problem ("not a number") rather than a range complaint.

/** Settings of Siren itself rather than of one piece of infrastructure. */
export class AppConfig {
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'must be one of fatal, error, warn, info, debug, trace, silent' })
  LOG_LEVEL: string = 'info';

  /** Region assumed for numbers written without a country code (ISO 3166 alpha-2). */
  @Matches(/^[A-Z]{2}$/, { message: 'must be a two-letter ISO country code such as US or GB' })
  SIREN_DEFAULT_REGION: string = 'US';

  @Transform(({ value }) => Number(value))
  @Min(1024, { message: 'must be at least 1024 bytes' })
  @IsInt({ message: 'must be a whole number of bytes' })
  SIREN_IMPORT_MAX_BYTES: number = 5 * 1024 * 1024;

  @Transform(({ value }) => Number(value))
  @Max(10_000_000, { message: 'must be at most 10,000,000' })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be a whole number' })
  SIREN_IMPORT_MAX_NUMBERS: number = 100_000;
}
