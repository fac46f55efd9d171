import { DomainError } from '../../shared/domain-error';

/**
 * Why a call cannot be turned into an Originate. Injection attempts are not these: they raise the
 * AMI guard's own AmiInjectionError (`AMI_UNSAFE_VALUE`), so one code means "hostile or corrupt value".
 */
export type OriginationErrorCode =
  /** The call names a route the configuration does not know. */
  | 'UNKNOWN_ROUTE'
  /** The call (or the saga) names a trunk no route holds. */
  | 'UNKNOWN_TRUNK'
  /** A number, caller ID, id or template part that is not dialable (wrong shape, not hostile). */
  | 'INVALID_DIAL_INPUT'
  /** An agent-first call built with another agent's line. */
  | 'AGENT_MISMATCH'
  /** An agent-first call for an agent who has registered no phone (`/register`). */
  | 'AGENT_PHONE_MISSING'
  /** An auto-dial builder given an agent-first call, or the reverse. */
  | 'WRONG_CALL_KIND';

export class OriginationError extends DomainError {
  declare readonly code: OriginationErrorCode;
  constructor(code: OriginationErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'OriginationError';
  }
}
