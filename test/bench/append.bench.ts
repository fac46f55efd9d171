import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '../../src/eventstore/event-store.port';
import { cpuSpent, ServerCpuProbe } from './server-cpu';

/**
 * Benchmark functions (no CLI): each goes through the store's full public path -- expectation
 * check, stream lock, hash chain, insert, commit -- so the numbers are what callers get.
 */
export interface AppendBenchOptions {
  /** Concurrent writers, each appending in a loop. */
  writers: number;
  eventsPerAppend: number;
  totalEvents: number;
  /** Streams written to; default one per writer. Each append uses an exact expected revision. */
  streams?: number;
  /** Stream id prefix; default a fresh random one. */
  prefix?: string;
}

export interface BenchResult {
  events: number;
  ms: number;
  eventsPerSec: number;
  /**
   * CPU time of this process (user + system, all its threads) per event: Siren's side of the work,
   * and for PGlite the database engine too. Unlike events/s it hardly depends on what else the
   * machine runs, so it is the figure to compare runs on a busy machine by.
   */
  cpuUsPerEvent: number;
  /** The PostgreSQL backends' CPU per event (server-cpu.ts), when the server is local. */
  serverCpuUsPerEvent?: number;
}

export async function benchAppend(store: EventStore, opts: AppendBenchOptions, server?: ServerCpuProbe): Promise<BenchResult> {
  const prefix = opts.prefix ?? `bench${randomUUID().slice(0, 8)}`;
  const appends = Math.ceil(opts.totalEvents / opts.eventsPerAppend);
  let next = 0;
  const serverBefore = await server?.sample();
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: opts.writers }, async (_, w) => {
      // Each writer owns its streams and tracks their revisions: an exact expectation per append.
      const revisions = new Map<string, number>();
      const streamCount = Math.max(1, Math.floor((opts.streams ?? opts.writers) / opts.writers));
      let k = 0;
      while (next < appends) {
        next++;
        const stream = `${prefix}-${w}-${k++ % streamCount}`;
        const expected = revisions.get(stream);
        const result = await store.append(stream, batch(opts.eventsPerAppend, w), {
          expectedRevision: expected === undefined ? 'no_stream' : expected,
        });
        revisions.set(stream, result.nextRevision);
      }
    }),
  );
  const measured = result(appends * opts.eventsPerAppend, start, cpu);
  if (server && serverBefore) {
    const spent = cpuSpent(serverBefore, await server.sample());
    measured.serverCpuUsPerEvent = Math.round((spent / measured.events) * 10) / 10;
  }
  return measured;
}

/** Reads the whole global log page by page, as a catching-up projection would. */
export async function benchReadAll(store: EventStore, pageSize = 1000): Promise<BenchResult> {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  let after: bigint | undefined;
  let events = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    events += page.length;
    if (page.length < pageSize) break;
    after = page[page.length - 1].position;
  }
  return result(events, start, cpu);
}

function batch(n: number, writer: number): NewEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    type: 'CallAttempted',
    data: benchEventData(writer, i),
    metadata: { correlationId: randomUUID(), actor: 'system:dialer' },
  }));
}

/** The data of the i-th event of a writer's append (also the raw INSERT reference's, reference.bench.ts). */
export function benchEventData(writer: number, i: number): object {
  return { campaignId: 'c-1', phone: `+49301234${writer}${i}`, attempt: i, outcome: 'no-answer' };
}

/** events/s and this process's CPU per event since `start` / `cpuStart`. */
export function result(events: number, start: bigint, cpuStart: NodeJS.CpuUsage): BenchResult {
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  return {
    events,
    ms: Math.round(ms),
    eventsPerSec: Math.round((events / ms) * 1000),
    cpuUsPerEvent: Math.round(((cpu.user + cpu.system) / events) * 10) / 10,
  };
}
