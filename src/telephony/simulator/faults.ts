/**
 * Faults a test can switch on to see how Siren copes with a misbehaving PBX. Delays here are real
 * milliseconds, not simulated ones: they exercise the client's own timeouts.
 */
export type Fault =
  /** Drop every connection once this many more actions have arrived / events have gone out. */
  | { kind: 'drop-after'; actions?: number; events?: number }
  /** Hold the Originate's Response back this long (the call itself starts once it is sent). */
  | { kind: 'slow-originate'; delayMs: number; times?: number }
  /** Answer Originates with `Response: Error` / `Message: Originate failed`; nothing is dialed. */
  | { kind: 'fail-originate'; times?: number }
  /** Refuse logins even with the right secret, as a locked or mis-provisioned AMI user would. */
  | { kind: 'refuse-logins'; times?: number }
  /** Write a broken frame to every logged-in connection now. */
  | { kind: 'malformed-frame'; shape: MalformedShape };

export type MalformedShape = 'garbage' | 'missing-blank-line' | 'header-without-colon';

/** The bytes of each malformed shape; each is followed by a well-formed event so a tolerant reader recovers. */
export function malformedBytes(shape: MalformedShape): string {
  switch (shape) {
    case 'garbage':
      return '\u0000\u00ff#@!garbage%%\r\n\r\n';
    case 'missing-blank-line':
      // The next frame's lines run into this one: a reader sees one message with two Event headers.
      return 'Event: Newexten\r\nPrivilege: dialplan,all\r\nChannel: PJSIP/broken-00000000\r\n';
    case 'header-without-colon':
      return 'Event: VarSet\r\nPrivilege: dialplan,all\r\nthis line has no separator\r\nVariable: X\r\nValue: 1\r\n\r\n';
  }
}

/** Counted faults, consumed as they fire. `times` absent means until cleared. */
export class FaultState {
  private slow: { delayMs: number; times: number } | undefined;
  private failing = 0;
  private refusing = 0;
  private dropAfterActions: number | undefined;
  private dropAfterEvents: number | undefined;

  arm(fault: Exclude<Fault, { kind: 'malformed-frame' }>): void {
    switch (fault.kind) {
      case 'drop-after':
        this.dropAfterActions = fault.actions;
        this.dropAfterEvents = fault.events;
        return;
      case 'slow-originate':
        this.slow = { delayMs: fault.delayMs, times: fault.times ?? Infinity };
        return;
      case 'fail-originate':
        this.failing = fault.times ?? Infinity;
        return;
      case 'refuse-logins':
        this.refusing = fault.times ?? Infinity;
        return;
    }
  }

  clear(): void {
    this.slow = undefined;
    this.failing = 0;
    this.refusing = 0;
    this.dropAfterActions = undefined;
    this.dropAfterEvents = undefined;
  }

  /** Real ms to hold an Originate's Response, consuming one use. */
  takeOriginateDelay(): number {
    if (!this.slow || this.slow.times <= 0) return 0;
    this.slow.times -= 1;
    return this.slow.delayMs;
  }

  takeOriginateFailure(): boolean {
    if (this.failing <= 0) return false;
    this.failing -= 1;
    return true;
  }

  takeLoginRefusal(): boolean {
    if (this.refusing <= 0) return false;
    this.refusing -= 1;
    return true;
  }

  /** Counts one action; true when the connections should be dropped now. */
  countAction(): boolean {
    if (this.dropAfterActions === undefined) return false;
    this.dropAfterActions -= 1;
    if (this.dropAfterActions > 0) return false;
    this.dropAfterActions = undefined;
    return true;
  }

  countEvent(): boolean {
    if (this.dropAfterEvents === undefined) return false;
    this.dropAfterEvents -= 1;
    if (this.dropAfterEvents > 0) return false;
    this.dropAfterEvents = undefined;
    return true;
  }
}
