import type { AmiFields } from './ami-fields';

/** Every AMI failure carries a stable `code`, so callers branch on it rather than on messages. */
export abstract class AmiError extends Error {
  abstract readonly code: string;
}

/** A value bound for AMI holds a control character (or a separator), i.e. could inject headers or actions. */
export class AmiInjectionError extends AmiError {
  readonly code = 'AMI_UNSAFE_VALUE';
  /** The field, printable: a header or variable *name* may itself be the injection attempt. */
  readonly field: string;
  constructor(field: string, reason: string) {
    const printable = field.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?').slice(0, 60);
    // The value itself is not echoed: it may be a secret or a phone number.
    super(`AMI field ${printable} refused: ${reason}`);
    this.field = printable;
    this.name = 'AmiInjectionError';
  }
}

/** An action's arguments are malformed (missing channel, over-long ChannelId, ...); nothing was sent. */
export class AmiInvalidActionError extends AmiError {
  readonly code = 'AMI_INVALID_ACTION';
  constructor(message: string) {
    super(message);
    this.name = 'AmiInvalidActionError';
  }
}

/** No response within the action's timeout. Whether the PBX acted on it is unknown. */
export class AmiTimeoutError extends AmiError {
  readonly code = 'AMI_TIMEOUT';
  constructor(readonly action: string, readonly actionId: string, readonly timeoutMs: number) {
    super(`AMI ${action} (ActionID ${actionId}) got no response within ${timeoutMs} ms`);
    this.name = 'AmiTimeoutError';
  }
}

/** The client is not logged in right now; the action was not sent and will not be sent later. */
export class AmiNotConnectedError extends AmiError {
  readonly code = 'AMI_NOT_CONNECTED';
  constructor(readonly action: string, readonly state: string) {
    super(`AMI ${action} not sent: connection is ${state}`);
    this.name = 'AmiNotConnectedError';
  }
}

/**
 * The connection went away while the action waited for its response. It may or may not have
 * reached the PBX: an Originate must be reconciled (CoreShowChannels, events), never re-sent blindly.
 */
export class AmiConnectionLostError extends AmiError {
  readonly code = 'AMI_CONNECTION_LOST';
  constructor(readonly action: string, readonly actionId: string) {
    super(`AMI connection lost before ${action} (ActionID ${actionId}) was answered`);
    this.name = 'AmiConnectionLostError';
  }
}

/** The PBX refused the Login (wrong user or secret, or a locked AMI user). */
export class AmiLoginError extends AmiError {
  readonly code = 'AMI_LOGIN_FAILED';
  constructor(readonly username: string, reason: string) {
    super(`AMI login as ${JSON.stringify(username)} failed: ${reason}`);
    this.name = 'AmiLoginError';
  }
}

/** The TCP connection could not be made or closed during connect/login. */
export class AmiConnectError extends AmiError {
  readonly code = 'AMI_CONNECT_FAILED';
  constructor(readonly address: string, reason: string) {
    super(`AMI connection to ${address} failed: ${reason}`);
    this.name = 'AmiConnectError';
  }
}

/** The PBX answered `Response: Error` (e.g. `Originate failed`, `No such channel`). */
export class AmiActionError extends AmiError {
  readonly code = 'AMI_ACTION_FAILED';
  constructor(readonly action: string, readonly response: AmiFields) {
    super(`AMI ${action} failed: ${response.message ?? 'Response: Error'}`);
    this.name = 'AmiActionError';
  }
}
