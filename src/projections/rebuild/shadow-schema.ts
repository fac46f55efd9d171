import { READ_MODEL_SCHEMA } from '../read-model-database';
import { checkSchemaName } from '../schema-scope';

/**
 * The schema a live rebuild builds `projection` in, beside the live schema: one per projection,
 * so rebuilds of different read models do not meet, and a leftover of a crashed rebuild is found
 * (and dropped) by the next one.
 */
export function shadowSchemaName(projection: string, live: string = READ_MODEL_SCHEMA): string {
  return checkSchemaName(`${live}_rebuild_${projection}`);
}

