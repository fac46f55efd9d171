import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { maskPhone } from '../../shared/logger';
import { type MuteDirection, type OriginateParams, type RedirectParams, hangupAction, muteAudioAction, originateAction, redirectAction } from './ami-actions';
import { MAX_RECONNECT_DELAY_MS, nextDelay } from './ami-backoff';
import { AmiNotConnectedError, AmiTimeoutError } from './ami-errors';
import type { AmiEvent, AmiFields, AmiResponse } from './ami-fields';
import { AmiLink } from './ami-link';
import { type AmiAction, toSafeAmiRequest } from './ami-values';

export type AmiConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface AmiClientOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  /** Default per-action timeout (also bounds connect + login). */
  actionTimeoutMs?: number;
  /** Keep-alive Ping period; a Ping without answer within actionTimeoutMs counts as a lost connection. 0 turns it off. */
  pingIntervalMs?: number;
  /** Cap on reconnect delays (≤ 30 s). */
  reconnectMaxDelayMs?: number;
  /** First reconnect delay scale. */
  reconnectBaseDelayMs?: number;
  /** [0, 1) source for backoff jitter; injectable for tests. */
  rng?: () => number;
  logger?: Logger;
  /** Prefix of generated ActionIDs; random per client by default so two clients never collide. */
  actionIdPrefix?: string;
}

export interface AmiHealth {
  state: AmiConnectionState;
  /** Failed reconnect attempts since the connection was lost (0 while connected). */
  reconnectAttempts: number;
  lastError?: { code: string; message: string; at: Date };
  connectedSince?: Date;
}

/** Sent after every successful (re)connect, with what Asterisk has up right now, so the saga can reconcile calls in flight. */
export interface AmiConnected {
  reconnected: boolean;
  /** The CoreShowChannel events (one per live channel: channel, uniqueid, linkedid, chanvariable.*, ...). */
  channels: AmiEvent[];
}

const DEFAULTS = { actionTimeoutMs: 10_000, pingIntervalMs: 15_000, reconnectBaseDelayMs: 500 };

/**
 * Siren's AMI connection (M4) over asterisk-manager: logs in with events on, matches responses by
 * ActionID with a timeout, keeps alive with Ping, reconnects with capped jittered backoff.
 * It buffers nothing: while not connected `action()` rejects at once with AmiNotConnectedError, and
 * actions pending when the connection drops reject with AmiConnectionLostError — never re-sent,
 * because an Originate re-sent blindly dials a number twice. The saga reconciles from the
 * `connected` notification's channel list instead.
 */
export class AmiClient {
  private readonly options: Required<Omit<AmiClientOptions, 'logger'>> & { logger?: Logger };
  private readonly emitter = new EventEmitter();
  private link: AmiLink | undefined;
  private state: AmiConnectionState = 'closed';
  private attempts = 0;
  private lastError: AmiHealth['lastError'];
  private connectedSince: Date | undefined;
  private sequence = 0;
  private started = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private pingInFlight = false;

  constructor(options: AmiClientOptions) {
    this.options = {
      ...DEFAULTS,
      reconnectMaxDelayMs: MAX_RECONNECT_DELAY_MS,
      rng: Math.random,
      actionIdPrefix: `siren-${randomBytes(4).toString('hex')}`,
      ...withoutUndefined(options),
      host: options.host,
      port: options.port,
      username: options.username,
      secret: options.secret,
    };
  }

  get connectionState(): AmiConnectionState {
    return this.state;
  }

  health(): AmiHealth {
    return { state: this.state, reconnectAttempts: this.attempts, lastError: this.lastError, connectedSince: this.connectedSince };
  }

  /**
   * First connection. Fails fast (rejects, state `closed`) if the PBX is unreachable or refuses
   * the login, so a misconfiguration stops start-up; later losses are retried for ever.
   */
  async connect(): Promise<AmiConnected> {
    if (this.started) throw new Error('AmiClient.connect() may be called once');
    this.started = true;
    this.setState('connecting');
    try {
      const connected = await this.openLink(false);
      return connected;
    } catch (error) {
      this.noteError(error);
      this.setState('closed');
      throw error;
    }
  }

  /** Stops for good: no reconnect; pending actions reject with AmiConnectionLostError. */
  async close(): Promise<void> {
    this.setState('closed');
    clearTimeout(this.reconnectTimer);
    this.stopKeepAlive();
    const link = this.link;
    this.link = undefined;
    if (link) {
      link.destroy();
      await link.whenClosed;
    }
  }

  /** Sends one action. Checks every value first (AmiInjectionError: nothing written). */
  async action(action: AmiAction, options: { timeoutMs?: number } = {}): Promise<AmiResponse> {
    const request = toSafeAmiRequest(action);
    const link = this.liveLink(action.Action);
    const actionId = this.nextActionId();
    this.options.logger?.debug({ action: action.Action, actionId }, 'AMI action');
    return link.request(action.Action, request, actionId, options.timeoutMs ?? this.options.actionTimeoutMs);
  }

  /** Async Originate; the outcome arrives as OriginateResponse / Hangup events (Uniqueid = channelId). */
  async originate(params: OriginateParams, options: { timeoutMs?: number } = {}): Promise<AmiResponse> {
    const action = originateAction(params);
    this.options.logger?.info({ channel: maskDigits(params.channel), channelId: params.channelId }, 'AMI originate');
    return this.action(action, options);
  }

  hangup(channel: string, cause?: number): Promise<AmiResponse> {
    return this.action(hangupAction(channel, cause));
  }

  redirect(params: RedirectParams): Promise<AmiResponse> {
    return this.action(redirectAction(params));
  }

  muteAudio(channel: string, direction: MuteDirection, muted: boolean): Promise<AmiResponse> {
    return this.action(muteAudioAction(channel, direction, muted));
  }

  ping(options: { timeoutMs?: number } = {}): Promise<AmiResponse> {
    return this.action({ Action: 'Ping' }, options);
  }

  /** The live channels, one CoreShowChannel event each. */
  async coreShowChannels(options: { timeoutMs?: number } = {}): Promise<AmiEvent[]> {
    return this.listChannels(this.liveLink('CoreShowChannels'), options.timeoutMs);
  }

  /** Every AMI event (not responses, nor the events of a list this client asked for). Returns an unsubscribe. */
  onEvent(handler: (event: AmiEvent) => void): () => void {
    return this.subscribe('event', handler);
  }

  onStateChange(handler: (state: AmiConnectionState, health: AmiHealth) => void): () => void {
    return this.subscribe('state', handler);
  }

  /** After every successful connect and reconnect. */
  onConnected(handler: (connected: AmiConnected) => void): () => void {
    return this.subscribe('connected', handler);
  }

  private async openLink(reconnected: boolean): Promise<AmiConnected> {
    const { host, port, username, secret, actionTimeoutMs } = this.options;
    const link = new AmiLink({
      host,
      port,
      username,
      secret,
      loginTimeoutMs: actionTimeoutMs,
      onEvent: (event) => this.emit('event', event),
      onClose: (closed, error) => this.onLinkClosed(closed, error),
    });
    this.link = link;
    await link.open(() => this.nextActionId());
    let channels: AmiEvent[];
    try {
      channels = await this.listChannels(link);
    } catch (error) {
      link.destroy();
      throw error;
    }
    if (this.link !== link || this.state === 'closed') {
      link.destroy();
      throw new AmiNotConnectedError('Login', 'closed');
    }
    this.attempts = 0;
    this.connectedSince = new Date();
    this.setState('connected');
    this.startKeepAlive(link);
    this.options.logger?.info({ address: link.address, reconnected, liveChannels: channels.length }, 'AMI connected');
    const connected = { reconnected, channels };
    this.emit('connected', connected);
    return connected;
  }

  private listChannels(link: AmiLink, timeoutMs = this.options.actionTimeoutMs): Promise<AmiEvent[]> {
    const request = toSafeAmiRequest({ Action: 'CoreShowChannels' });
    return link.requestList('CoreShowChannels', request, this.nextActionId(), timeoutMs, 'CoreShowChannelsComplete').then((list) => list.events);
  }

  private onLinkClosed(link: AmiLink, error: Error | undefined): void {
    if (link !== this.link) return;
    this.link = undefined;
    this.stopKeepAlive();
    this.connectedSince = undefined;
    if (error) this.noteError(error);
    if (this.state === 'closed' || this.state === 'connecting') return; // close() or the first connect's failure
    if (this.state === 'connected') this.options.logger?.warn({ address: link.address, error: error?.message }, 'AMI connection lost');
    this.setState('reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.state !== 'reconnecting') return;
    this.attempts += 1;
    const delay = nextDelay(this.attempts, this.options.rng, { baseMs: this.options.reconnectBaseDelayMs, maxMs: this.options.reconnectMaxDelayMs });
    this.options.logger?.info({ attempt: this.attempts, delayMs: delay }, 'AMI reconnect scheduled');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.state !== 'reconnecting') return;
      this.openLink(true).catch((error: unknown) => {
        this.noteError(error);
        this.options.logger?.warn({ attempt: this.attempts, error: errorMessage(error) }, 'AMI reconnect failed');
        this.scheduleReconnect();
      });
    }, delay);
    this.emit('state', this.state, this.health());
  }

  private startKeepAlive(link: AmiLink): void {
    const { pingIntervalMs, actionTimeoutMs } = this.options;
    if (pingIntervalMs <= 0) return;
    this.pingTimer = setInterval(() => {
      if (this.pingInFlight || link !== this.link) return;
      this.pingInFlight = true;
      const timeoutMs = Math.min(actionTimeoutMs, pingIntervalMs);
      link
        .request('Ping', { action: 'Ping' }, this.nextActionId(), timeoutMs)
        .catch((error: unknown) => {
          if (!(error instanceof AmiTimeoutError) || link !== this.link) return;
          // A PBX that stops answering is as good as gone; reconnecting is the only way to know.
          this.options.logger?.warn({ address: link.address, timeoutMs }, 'AMI keep-alive Ping timed out');
          this.noteError(error);
          link.destroy();
        })
        .finally(() => (this.pingInFlight = false));
    }, pingIntervalMs);
  }

  private stopKeepAlive(): void {
    clearInterval(this.pingTimer);
    this.pingTimer = undefined;
    this.pingInFlight = false;
  }

  private liveLink(action: string): AmiLink {
    const link = this.link;
    if (this.state !== 'connected' || !link?.usable) throw new AmiNotConnectedError(action, this.state);
    return link;
  }

  private nextActionId(): string {
    this.sequence += 1;
    return `${this.options.actionIdPrefix}-${this.sequence}`;
  }

  private setState(state: AmiConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    if (state !== 'reconnecting') this.emit('state', state, this.health());
    // 'reconnecting' is announced by scheduleReconnect, once the attempt count is up to date.
  }

  private noteError(error: unknown): void {
    const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'AMI_ERROR';
    this.lastError = { code, message: errorMessage(error), at: new Date() };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private subscribe(name: string, handler: (...args: any[]) => void): () => void {
    this.emitter.on(name, handler);
    return () => this.emitter.off(name, handler);
  }

  /** A subscriber's exception must not break the connection: it is logged and dropped. */
  private emit(name: string, ...args: unknown[]): void {
    for (const handler of this.emitter.listeners(name)) {
      try {
        (handler as (...a: unknown[]) => void)(...args);
      } catch (error) {
        this.options.logger?.error({ error: errorMessage(error), listener: name }, 'AMI subscriber threw');
      }
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `PJSIP/15550100@trunk` → `PJSIP/1555***0100@trunk`: dial strings carry the number. */
export function maskDigits(text: string): string {
  return text.replace(/\+?\d{7,}/g, (number) => maskPhone(number));
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
