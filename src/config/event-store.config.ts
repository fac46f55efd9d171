import { Matches, IsOptional, IsString } from 'class-validator';

/**
 * Where events are kept. EVENTSTORE_URL wins over DATABASE_URL; with neither set Siren embeds
 * PGlite under SIREN_DATA_DIR (no fsync: for one box, demos and development only).
 */
export class EventStoreConfig {
  @IsOptional()
  @Matches(/^esdb(\+discover)?:\/\/\S+$/, { message: 'must be an EventStoreDB connection string (esdb://host:2113?tls=false)' })
  EVENTSTORE_URL?: string = undefined;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a PostgreSQL connection string (postgres://user@host:5432/db)' })
  DATABASE_URL?: string = undefined;

  @IsString()
  SIREN_DATA_DIR: string = './.siren';

  get adapter(): 'eventstoredb' | 'postgres' | 'pglite' {
    if (this.EVENTSTORE_URL) return 'eventstoredb';
    if (this.DATABASE_URL) return 'postgres';
    return 'pglite';
  }
}
