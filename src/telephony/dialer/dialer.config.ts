import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import type { DialerLimits } from '../saga/plan-dialing';

// As in src/config: the decorator nearest the property is checked first, so with stopAtFirstError
// the operator hears "not a number" before a range complaint.

/** The dialer's global pacing: what the PBX and the carriers can take at once. */
export class DialerConfig {
  /** Calls in progress at once, all campaigns together. */
  @Transform(({ value }) => Number(value))
  @Max(10_000, { message: 'must be at most 10000' })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be a whole number of calls' })
  SIREN_MAX_CONCURRENT_CALLS: number = 100;

  /** Channels each trunk may carry at once. */
  @Transform(({ value }) => Number(value))
  @Max(10_000, { message: 'must be at most 10000' })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be a whole number of channels' })
  SIREN_TRUNK_MAX_CHANNELS: number = 30;

  /** New calls per second each trunk may start (token bucket). */
  @Transform(({ value }) => Number(value))
  @Max(1_000, { message: 'must be at most 1000' })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be a whole number of calls per second' })
  SIREN_TRUNK_CALLS_PER_SECOND: number = 5;

  get limits(): DialerLimits {
    return {
      maxGlobalCalls: this.SIREN_MAX_CONCURRENT_CALLS,
      defaultTrunk: { maxChannels: this.SIREN_TRUNK_MAX_CHANNELS, callsPerSecond: this.SIREN_TRUNK_CALLS_PER_SECOND },
    };
  }
}
