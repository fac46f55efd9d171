import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';
import { MAX_RECONNECT_DELAY_MS } from './ami-backoff';
import type { AmiClientOptions } from './ami-client';

// As in src/config: the decorator nearest the property is checked first, so with stopAtFirstError
// the operator hears "not a number" before a range complaint.

/**
 * Where Siren's AMI connection goes. With AMI_HOST unset Siren starts the built-in PBX simulator
 * and connects to it (see src/telephony/simulator). Values reach the Login action, so they may
 * hold no control characters.
 */
export class AmiConfig {
  @IsOptional()
  @Matches(/^[A-Za-z0-9.:[\]_-]+$/, { message: 'must be a host name or IP address' })
  AMI_HOST?: string = undefined;

  @Transform(({ value }) => Number(value))
  @Max(65535, { message: 'must be at most 65535' })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be a TCP port number' })
  AMI_PORT: number = 5038;

  @Matches(/^[A-Za-z0-9_.@-]+$/, { message: 'must be an AMI user name (letters, digits, _ . @ -)' })
  AMI_USERNAME: string = 'siren';

  /** Required with a real PBX; the built-in simulator accepts its own default. Never logged (see toJSON). */
  @ValidateIf((config: AmiConfig) => config.AMI_HOST !== undefined || config.AMI_SECRET !== undefined)
  @Matches(/^[^\u0000-\u001f\u007f]+$/, { message: 'must not contain control characters' })
  @IsString({ message: 'is required when AMI_HOST is set' })
  AMI_SECRET?: string = undefined;

  @Transform(({ value }) => Number(value))
  @Max(600_000, { message: 'must be at most 600000 ms' })
  @Min(100, { message: 'must be at least 100 ms' })
  @IsInt({ message: 'must be a whole number of milliseconds' })
  AMI_ACTION_TIMEOUT_MS: number = 10_000;

  /** 0 turns the keep-alive Ping off. */
  @Transform(({ value }) => Number(value))
  @Max(600_000, { message: 'must be at most 600000 ms' })
  @Min(0, { message: 'must be 0 (off) or more' })
  @IsInt({ message: 'must be a whole number of milliseconds' })
  AMI_PING_INTERVAL_MS: number = 15_000;

  @Transform(({ value }) => Number(value))
  @Max(MAX_RECONNECT_DELAY_MS, { message: `must be at most ${MAX_RECONNECT_DELAY_MS} ms` })
  @Min(100, { message: 'must be at least 100 ms' })
  @IsInt({ message: 'must be a whole number of milliseconds' })
  AMI_RECONNECT_MAX_DELAY_MS: number = MAX_RECONNECT_DELAY_MS;

  /** True when Siren should start the built-in PBX simulator and dial that. */
  get useBuiltInPbx(): boolean {
    return this.AMI_HOST === undefined;
  }

  /**
   * Client options for this configuration. With the built-in simulator, pass where it listens
   * and the credentials it was started with.
   */
  clientOptions(builtIn?: { host: string; port: number; username?: string; secret?: string }): AmiClientOptions {
    const endpoint = this.AMI_HOST !== undefined ? { host: this.AMI_HOST, port: this.AMI_PORT } : builtIn;
    if (!endpoint) throw new Error('AMI_HOST is not set: start the built-in PBX simulator and pass its address');
    return {
      host: endpoint.host,
      port: endpoint.port,
      username: this.AMI_HOST === undefined ? (builtIn?.username ?? this.AMI_USERNAME) : this.AMI_USERNAME,
      secret: this.AMI_HOST === undefined ? (builtIn?.secret ?? this.AMI_SECRET ?? 'siren') : (this.AMI_SECRET ?? ''),
      actionTimeoutMs: this.AMI_ACTION_TIMEOUT_MS,
      pingIntervalMs: this.AMI_PING_INTERVAL_MS,
      reconnectMaxDelayMs: this.AMI_RECONNECT_MAX_DELAY_MS,
    };
  }

  /** Logged or echoed configuration never shows the secret. */
  toJSON(): Record<string, unknown> {
    return { ...(this as Record<string, unknown>), AMI_SECRET: this.AMI_SECRET === undefined ? undefined : '***' };
  }
}
