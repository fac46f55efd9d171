/**
 * A refusal with a stable machine-readable code. Adapters map codes to HTTP statuses and Telegram
 * replies in one place each; the message is for humans.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
