import type { NetConnectOpts } from 'node:net';

/**
 * The slice of the untyped `asterisk-manager` 0.2 we use, typed. How it behaves (lib/ami.js),
 * and what Siren does about it:
 * - `action()` before its own login succeeded, or while it has no socket, is *held* in an internal
 *   queue and re-sent after the next login. Siren never calls it then (the link checks), and uses a
 *   fresh Manager per connection, so a held action can never be re-sent after a reconnect.
 * - Its reconnect (`keepConnected`) waits 10–60 s and re-sends held actions: never enabled.
 * - `login()` sends `Event: on`, a header Asterisk ignores (it reads `Events`), so the link
 *   follows it with `Action: Events` / `EventMask: on`.
 * - It never times out an action: the link does, and removes the listener.
 * - It does not expose its socket, so the link passes `net.connect` options (as the "port"
 *   argument, which it hands to `net.createConnection`) carrying an AbortSignal to destroy it.
 * - Values are written as given (no CR/LF check): ami-values.ts checks everything first.
 * - Its reader is slow, so the link reads the socket itself (`onread`) with ami-wire-reader.ts,
 *   which parses exactly as it does, and emits each message as its `rawevent`.
 */
export interface AsteriskManager {
  connect(port: number | NetConnectOpts, host: string, callback?: () => void): void;
  login(callback: (error?: Record<string, unknown>) => void): void;
  action(request: Record<string, unknown>, callback: (error: Record<string, unknown> | undefined, response: Record<string, unknown>) => void): string;
  disconnect(callback?: () => void): void;
  isConnected(): boolean;
  on(event: 'managerevent', listener: (event: Record<string, unknown>) => void): void;
  on(event: 'close', listener: (hadError: boolean) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  removeAllListeners(event: string): void;
  /** A parsed message into its routing (responses to their action, events to `managerevent`): see ami-wire-reader.ts. */
  emit(event: 'rawevent', message: Record<string, unknown>): boolean;
}

type ManagerFactory = (port: undefined, host: string, username: string, password: string, events: boolean) => AsteriskManager;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Manager = require('asterisk-manager') as ManagerFactory;

/** A Manager that has not connected yet (no port: it would connect and log in by itself). */
export function createAsteriskManager(host: string, username: string, secret: string): AsteriskManager {
  return Manager(undefined, host, username, secret, true);
}
