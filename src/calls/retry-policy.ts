// class-transformer's @Type reads design-time metadata through this polyfill.
import 'reflect-metadata';
import { ArrayUnique, IsArray, IsIn, IsInt, Max, Min } from 'class-validator';
import { DISPOSITIONS, type Disposition } from './disposition';

/** Which failed attempts a campaign dials again, how often, and after how long. */
export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  retryDelaySeconds: number;
  retryOn: Disposition[];
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze<RetryPolicy>({
  maxAttempts: 3,
  retryDelaySeconds: 1800,
  retryOn: ['busy', 'no-answer', 'congestion', 'carrier-failure', 'unreachable'],
});

export function defaultRetryPolicy(): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, retryOn: [...DEFAULT_RETRY_POLICY.retryOn] };
}

/** The validated shape of a retry policy inside commands. */
export class RetryPolicyInput implements RetryPolicy {
  @IsInt() @Min(1) @Max(20) maxAttempts!: number;
  @IsInt() @Min(0) @Max(7 * 24 * 3600) retryDelaySeconds!: number;
  @IsArray() @ArrayUnique() @IsIn(DISPOSITIONS, { each: true }) retryOn!: Disposition[];
}
