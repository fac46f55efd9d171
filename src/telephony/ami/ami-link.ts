import { StringDecoder } from 'node:string_decoder';
import { type AmiFields, type AmiResponse, normaliseAmiMessage } from './ami-fields';
import { AmiActionError, AmiConnectError, AmiConnectionLostError, AmiLoginError, AmiNotConnectedError, AmiTimeoutError } from './ami-errors';
import type { SafeAmiRequest } from './ami-values';
import { AmiWireReader } from './ami-wire-reader';
import { type AsteriskManager, createAsteriskManager } from './asterisk-manager';

export interface AmiLinkOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  /** Bound on connect + login + enabling events. */
  loginTimeoutMs: number;
  onEvent(event: AmiFields): void;
  /** Called once when the socket is gone, whatever the reason. */
  onClose(link: AmiLink, error: Error | undefined): void;
}

/** What a list action (CoreShowChannels, Status, ...) answers: its response and the events up to `<Name>Complete`. */
export interface AmiListResult {
  response: AmiResponse;
  events: AmiFields[];
}

interface Pending {
  action: string;
  timer: NodeJS.Timeout;
  resolve(value: AmiResponse | AmiListResult): void;
  reject(error: Error): void;
  list?: { complete: string; events: AmiFields[]; response?: AmiResponse };
}

const READ_BUFFER_BYTES = 64 * 1024;

/**
 * One AMI connection over its own asterisk-manager instance: connect, log in, send actions
 * matched by ActionID with a timeout, collect list answers. It is never reused: when the socket
 * closes, every pending action is rejected with AmiConnectionLostError and the link is dead, so
 * nothing asterisk-manager may have held can be re-sent by a later connection.
 */
export class AmiLink {
  private readonly manager: AsteriskManager;
  private readonly abort = new AbortController();
  private readonly pending = new Map<string, Pending>();
  private authenticated = false;
  private closed = false;
  private socketError: Error | undefined;
  private openFailed: ((error: Error) => void) | undefined;
  readonly whenClosed: Promise<void>;
  private markClosed!: () => void;

  constructor(private readonly options: AmiLinkOptions) {
    this.manager = createAsteriskManager(options.host, options.username, options.secret);
    this.whenClosed = new Promise((resolve) => (this.markClosed = resolve));
    this.manager.on('managerevent', (raw) => this.onManagerEvent(raw));
    this.manager.on('error', (error) => (this.socketError = error));
    this.manager.on('close', () => this.onSocketClose());
  }

  get address(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  /** Logged in and the socket open: the only time an action may be handed to asterisk-manager. */
  get usable(): boolean {
    return this.authenticated && !this.closed && this.manager.isConnected();
  }

  /** Connects, logs in and turns events on; on any failure destroys the socket and rejects. */
  async open(nextActionId: () => string): Promise<void> {
    const { loginTimeoutMs, username } = this.options;
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new AmiTimeoutError('Login', '-', loginTimeoutMs)), loginTimeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        this.openFailed = undefined;
        this.destroy();
        reject(error);
      };
      this.openFailed = fail;
      // The options object goes in as the "port": asterisk-manager passes it to net.createConnection,
      // and the signal is our only handle on a socket it does not expose. `onread` takes the bytes
      // before its own (slow) reader would: AmiWireReader parses them as it did, and each message
      // goes through asterisk-manager's routing (`rawevent`) as before.
      const decoder = new StringDecoder('utf8');
      const reader = new AmiWireReader();
      const onread = {
        buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
        callback: (bytes: number, buffer: Uint8Array): boolean => {
          for (const message of reader.push(decoder.write(buffer.subarray(0, bytes) as Buffer))) this.manager.emit('rawevent', message);
          return true;
        },
      };
      this.manager.connect({ port: this.options.port, host: this.options.host, signal: this.abort.signal, onread }, this.options.host, () => {
        this.manager.login((error) => {
          if (this.openFailed !== fail) return;
          if (error) return fail(new AmiLoginError(username, String(error.message ?? 'refused')));
          clearTimeout(timer);
          this.openFailed = undefined;
          this.authenticated = true;
          resolve();
        });
      });
    });
    // asterisk-manager's Login says `Event: on`, which Asterisk does not read; make sure.
    const remaining = Math.max(1, loginTimeoutMs - (Date.now() - started));
    try {
      await this.request('Events', { action: 'Events', eventmask: 'on' }, nextActionId(), remaining);
    } catch (error) {
      this.destroy();
      throw error;
    }
  }

  /** Sends one action; resolves with its response, rejects on `Response: Error`, timeout or a lost connection. */
  request(action: string, request: SafeAmiRequest, actionId: string, timeoutMs: number): Promise<AmiResponse> {
    return this.send(action, request, actionId, timeoutMs) as Promise<AmiResponse>;
  }

  /** Sends a list action and collects its events (matched by ActionID) up to `completeEvent`. */
  requestList(action: string, request: SafeAmiRequest, actionId: string, timeoutMs: number, completeEvent: string): Promise<AmiListResult> {
    return this.send(action, request, actionId, timeoutMs, completeEvent) as Promise<AmiListResult>;
  }

  /** Destroys the socket now (no graceful goodbye: used on close, ping timeout and failed logins). */
  destroy(): void {
    if (!this.abort.signal.aborted) this.abort.abort();
  }

  private send(action: string, request: SafeAmiRequest, actionId: string, timeoutMs: number, completeEvent?: string): Promise<AmiResponse | AmiListResult> {
    // Checked here, synchronously before the write: asterisk-manager would otherwise hold the action and re-send it.
    if (!this.usable) return Promise.reject(new AmiNotConnectedError(action, this.closed ? 'closed' : 'not logged in'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(actionId);
        this.manager.removeAllListeners(actionId);
        reject(new AmiTimeoutError(action, actionId, timeoutMs));
      }, timeoutMs);
      const list = completeEvent ? { complete: completeEvent.toLowerCase(), events: [] } : undefined;
      this.pending.set(actionId, { action, timer, resolve, reject, list });
      this.manager.action({ ...request, actionid: actionId }, (_error, raw) => this.onResponse(actionId, raw));
    });
  }

  private onResponse(actionId: string, raw: Record<string, unknown>): void {
    const pending = this.pending.get(actionId);
    if (!pending) return;
    const response = normaliseAmiMessage(raw);
    if (response.response?.toLowerCase() === 'error') return this.settle(actionId, new AmiActionError(pending.action, response));
    if (!pending.list) return this.settle(actionId, undefined, response);
    pending.list.response = response;
  }

  private onManagerEvent(raw: Record<string, unknown>): void {
    const event = normaliseAmiMessage(raw);
    const pending = event.actionid !== undefined ? this.pending.get(event.actionid) : undefined;
    if (!pending?.list) return this.options.onEvent(event);
    if (event.event?.toLowerCase() !== pending.list.complete) {
      pending.list.events.push(event);
      return;
    }
    const response = pending.list.response ?? { response: 'Success', actionid: event.actionid! };
    this.settle(event.actionid!, undefined, { response, events: pending.list.events });
  }

  private settle(actionId: string, error: Error | undefined, value?: AmiResponse | AmiListResult): void {
    const pending = this.pending.get(actionId);
    if (!pending) return;
    this.pending.delete(actionId);
    clearTimeout(pending.timer);
    if (error) pending.reject(error);
    else pending.resolve(value!);
  }

  private onSocketClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.authenticated = false;
    const reason = this.socketError && this.socketError.name !== 'AbortError' ? this.socketError : undefined;
    this.openFailed?.(new AmiConnectError(this.address, reason?.message ?? 'connection closed during login'));
    for (const [actionId, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new AmiConnectionLostError(pending.action, actionId));
    }
    this.pending.clear();
    this.markClosed();
    this.options.onClose(this, reason);
  }
}
