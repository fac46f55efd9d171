import type { Socket } from 'node:net';
import { type AmiHeader, type AmiMessage, AmiMessageReader, header, serializeAmiMessage } from './ami-frame';

/** What a connection is allowed to see of the server it belongs to. */
export interface SessionHost {
  /** Counts an incoming action against an armed drop fault; true when it just dropped everything. */
  countAction(): boolean;
  dispatch(session: AmiSession, action: string, message: AmiMessage): void;
  forget(session: AmiSession): void;
}

/** Actions Asterisk accepts before Login; anything else gets `Permission denied`. */
const BEFORE_LOGIN = new Set(['login', 'logoff', 'challenge']);

/** One AMI connection: reads actions, holds the login state, writes responses and events. */
export class AmiSession {
  authenticated = false;
  eventsOn = true;
  private readonly reader = new AmiMessageReader();

  constructor(
    readonly socket: Socket,
    private readonly host: SessionHost,
    banner: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      for (const message of this.reader.push(chunk)) this.handle(message);
    });
    socket.on('error', () => socket.destroy()); // a client that vanishes is routine, not an error
    socket.on('close', () => host.forget(this));
    socket.write(`${banner}\r\n`);
  }

  private handle(message: AmiMessage): void {
    if (this.socket.destroyed) return;
    if (this.host.countAction()) return;
    const action = header(message, 'Action')?.trim();
    if (!action) return this.error(message, 'Missing action in request');
    if (!this.authenticated && !BEFORE_LOGIN.has(action.toLowerCase())) return this.error(message, 'Permission denied');
    this.host.dispatch(this, action, message);
  }

  /** `Response: Success`, the ActionID, any extra headers, then `Message:` if given. */
  success(request: AmiMessage, message?: string, extra: AmiHeader[] = []): void {
    this.respond('Success', request, message, extra);
  }

  error(request: AmiMessage, message: string): void {
    this.respond('Error', request, message);
  }

  respond(response: string, request: AmiMessage, message?: string, extra: AmiHeader[] = []): void {
    const actionId = header(request, 'ActionID');
    this.send([
      ['Response', response],
      ...(actionId !== undefined ? [['ActionID', actionId] as AmiHeader] : []),
      ...extra,
      ...(message !== undefined ? [['Message', message] as AmiHeader] : []),
    ]);
  }

  send(message: AmiMessage): void {
    this.writeRaw(serializeAmiMessage(message));
  }

  /** Broadcast events reach only logged-in sessions that have not turned events off. */
  sendEvent(event: AmiMessage): void {
    if (this.authenticated && this.eventsOn) this.send(event);
  }

  writeRaw(bytes: string): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(bytes);
  }

  /** Ends the connection after what was written so far, as Asterisk does after Logoff or a bad login. */
  end(): void {
    this.socket.end();
  }

  drop(): void {
    this.socket.destroy();
  }
}
