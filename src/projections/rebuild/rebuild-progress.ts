export interface RebuildProgress {
  projection: string;
  phase: 'building' | 'swapping' | 'done';
  /** Events applied so far. */
  events: number;
  /**
   * Events to apply in all, estimated from positions: exact where positions count events one by
   * one (PostgreSQL, PGlite), an extrapolation where they do not (EventStoreDB's are offsets).
   */
  total: number;
  /** Position of the last event applied, and the log's head when last looked at. */
  position: bigint;
  head: bigint;
  eventsPerSecond: number;
  /** Seconds left at the current rate; null until there is a rate. */
  etaSeconds: number | null;
}

/** Counts a rebuild's events and turns them into RebuildProgress reports. */
export function progressMeter(projection: string, report?: (progress: RebuildProgress) => void) {
  const started = Date.now();
  let events = 0;
  let position = 0n;
  let head = 0n;
  let phase: RebuildProgress['phase'] = 'building';

  const emit = (): void => {
    if (!report) return;
    const total = phase === 'done' ? events : estimateTotal(events, position, head);
    const seconds = (Date.now() - started) / 1000;
    const eventsPerSecond = seconds > 0 ? events / seconds : 0;
    const etaSeconds = eventsPerSecond > 0 ? Math.max(0, (total - events) / eventsPerSecond) : null;
    report({ projection, phase, events, total, position, head, eventsPerSecond, etaSeconds });
  };

  return {
    head(at: bigint): void {
      head = at;
      emit();
    },
    applied(n: number, at: bigint, headNow: bigint): void {
      events += n;
      position = at;
      if (headNow > head) head = headNow;
      emit();
    },
    /** Events counted by a transaction that rolled back (a swap attempt that timed out). */
    discard(n: number): void {
      events -= n;
    },
    phase(next: RebuildProgress['phase'], at?: bigint): void {
      phase = next;
      if (at !== undefined) position = head = at > head ? at : head;
      emit();
    },
    events: (): number => events,
    elapsedMs: (): number => Date.now() - started,
  };
}

function estimateTotal(events: number, position: bigint, head: bigint): number {
  if (head <= position) return events;
  if (events === 0 || position === 0n) return Number(head);
  // Events per position so far, applied to the positions still ahead.
  return events + Math.round((Number(head - position) * events) / Number(position));
}
