import type { CommandBus } from '@nestjs/cqrs';
import type { Logger } from 'pino';
import type { CallCommand } from '../../calls/call.decider';
import { DomainError } from '../../shared/domain-error';
import { maskDigits } from '../ami/ami-client';
import type { AmiEvent } from '../ami/ami-fields';
import { ChannelTracker } from './channel-tracker';
import { translateAmiEvent } from './translate-ami-event';

/** Where events come from: AmiClient, or anything with its `onEvent`. */
export interface AmiEventSource {
  onEvent(handler: (event: AmiEvent) => void): () => void;
}

/** Runs one command to completion (appended or refused). */
export type DispatchCommand = (command: CallCommand) => Promise<unknown>;

/** The production dispatcher: the CQRS bus, whose call handlers load, decide and append. */
export function dispatchThrough(bus: CommandBus): DispatchCommand {
  return (command) => bus.execute(command);
}

/**
 * Refusals that only mean the event stream told us something twice (or too late), e.g. a Hangup
 * after we already recorded the call's end: expected, logged at debug, not warnings.
 */
const DUPLICATE_CODES = new Set(['CALL_ALREADY_HUNG_UP', 'CALL_ORIGINATE_FAILED']);

export interface AmiEventIngestOptions {
  source: AmiEventSource;
  dispatch: DispatchCommand;
  /** Shared with whoever originates: it registers each call (`tracker.originated`) before sending. */
  tracker?: ChannelTracker;
  logger?: Logger;
}

/**
 * The AMI adapter's inbound half (M6): every event from the PBX is translated into call
 * commands, which are dispatched in order per call (one chain per call id, so a call's Hangup
 * never overtakes its Answer while different calls proceed in parallel). Nothing here throws into
 * the AMI client: a bad event or a refused command is logged and the stream goes on.
 */
export class AmiEventIngest {
  readonly tracker: ChannelTracker;
  private readonly chains = new Map<string, Promise<void>>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: AmiEventIngestOptions) {
    this.tracker = options.tracker ?? new ChannelTracker();
  }

  start(): void {
    this.unsubscribe ??= this.options.source.onEvent((event) => this.ingest(event));
  }

  /** Stops listening and waits for the commands already queued. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.idle();
  }

  /** Resolves once every command queued so far has been dispatched. */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all(this.chains.values());
  }

  /** One event in; returns the commands it queued (for tests and metrics). */
  ingest(event: AmiEvent): CallCommand[] {
    let commands: CallCommand[];
    try {
      commands = translateAmiEvent(event, this.tracker);
    } catch (error) {
      this.options.logger?.error({ event: event.event, uniqueid: event.uniqueid, error: messageOf(error) }, 'AMI event not translated');
      return [];
    }
    for (const command of commands) this.enqueue(command);
    return commands;
  }

  private enqueue(command: CallCommand): void {
    const { callId } = command;
    const previous = this.chains.get(callId) ?? Promise.resolve();
    const next = previous.then(() => this.run(command));
    this.chains.set(callId, next);
    // The chain is dropped once it has run dry, so the map holds only calls with work pending.
    void next.then(() => {
      if (this.chains.get(callId) === next) this.chains.delete(callId);
    });
  }

  private async run(command: CallCommand): Promise<void> {
    const log = this.options.logger;
    try {
      await this.options.dispatch(command);
      log?.debug({ command: command.type, callId: command.callId, ...loggable(command) }, 'AMI event recorded');
    } catch (error) {
      const code = error instanceof DomainError ? error.code : undefined;
      const fields = { command: command.type, callId: command.callId, code, error: messageOf(error) };
      if (code !== undefined && DUPLICATE_CODES.has(code)) log?.debug(fields, 'AMI event already recorded');
      else if (code !== undefined) log?.warn(fields, 'AMI event refused by the call');
      else log?.error(fields, 'AMI event command failed');
    }
  }
}

/** The facts worth a log line; a channel name may carry the dialed number, so digits are masked. */
function loggable(command: CallCommand): Record<string, unknown> {
  switch (command.type) {
    case 'RecordOriginated':
      return { channel: maskDigits(command.channel), uniqueId: command.uniqueId, trunk: command.trunk };
    case 'RecordHangup':
      return { cause: command.cause, disposition: command.disposition };
    case 'RecordDtmf':
      return { digit: command.digit, source: command.source };
    case 'RecordAmdResult':
      return { result: command.result };
    case 'RecordOriginateFailure':
      return { reason: command.reason };
    default:
      return {};
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
