import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { Client } from 'pg';
import pino from 'pino';
import { AppModule } from '../../src/app.module';
import type { Contact } from '../../src/campaigns/campaign.events';
import { loadConfig } from '../../src/config';
import type { EventStore, NewEvent, AppendOptions, AppendResult } from '../../src/eventstore/event-store.port';
import { openPgliteEventStore, openPostgresEventStore } from '../../src/eventstore/postgres';
import { allProjections, openPgliteReadModelDatabase, openPostgresReadModelDatabase, ProjectionRunner } from '../../src/projections';
import type { ReadModelDatabase } from '../../src/projections';
import type { SirenCommand } from '../../src/shared/command';
import { AmiClient } from '../../src/telephony/ami/ami-client';
import { AmiEventIngest, dispatchThrough } from '../../src/telephony/ami-events/ami-event-ingest';
import { DialerRuntime, scaledClock } from '../../src/telephony/dialer';
import { prepareCampaign } from '../../src/telephony/dialer/simulated-campaign';
import { Originator } from '../../src/telephony/origination/originator';
import { DEFAULT_CHANNEL_VARS, startPbxSimulator } from '../../src/telephony/simulator/start-pbx-simulator';
import { createTestDatabase } from '../support/postgres-test-db';
import { formatRate, machineLine, markdownTable } from './benchmarks-file';

/**
 * Originate pacing under load (issue 3): one campaign dialed through the real path — Nest
 * command handlers, DialerRuntime (fold → planDialing → RequestCall → Originate), AMI client and
 * ingest — against the built-in PBX simulator, on a scaled (simulated) clock. Trunk, global and
 * campaign caps are set as an operator would set them (SIREN_TRUNK_CALLS_PER_SECOND=50, 1,000
 * channels / calls) and the simulated calls last about 19 s, so ~950–1,000 are live at once once
 * the first ones would have ended (Little: 50/s × 19 s). A ProjectionRunner with every read model
 * follows the same store meanwhile, and each append's lag (append resolved → every projection's
 * checkpoint at its position) is recorded.
 */
export interface OriginateRateOptions {
  /** PostgreSQL server URL; PGlite when absent. */
  serverUrl?: string;
  /** Calls per second configured for the trunk. Default 50. */
  rate?: number;
  /** Simulated seconds measured. Default 60. */
  seconds?: number;
  /**
   * Simulated time runs this many times faster than real time. Default 1 (BENCH_TIME_SCALE): the
   * dialer's plan → append → fold cycle runs in real time, so at 2× a stall of half a real second
   * already outlasts the trunk's one-second bucket and costs calls on a busy machine.
   */
  timeScale?: number;
  /** Caps: trunk channels, global calls, campaign calls. Default 1,000 (the campaign maximum). */
  maxConcurrent?: number;
}

export interface OriginateRateResult {
  store: string;
  rate: number;
  seconds: number;
  timeScale: number;
  /** Originates the PBX accepted within the measured window. */
  originated: number;
  /** originated / seconds. */
  meanRate: number;
  /** Per simulated second, from the first originate. */
  perSecond: number[];
  peakLiveOnPbx: number;
  peakLiveInDialer: number;
  /** Events appended while dialing, and their projection lag (real ms) weighted per event. */
  appendedEvents: number;
  lagMs: { p50: number; p99: number; max: number };
  realSeconds: number;
  /** 1-minute load average when the run ended (the machine is shared). */
  loadAverage: number;
  /** How late this process's event loop ran while dialing (ms): a stall here is CPU, not I/O. */
  eventLoopDelayMs: { p99: number; max: number };
}

const CAMPAIGN_ID = 'bench-rate';
const seedPhone = (i: number): string => `+1202${String(5_000_000 + i).padStart(7, '0')}`;

export async function benchOriginateRate(options: OriginateRateOptions = {}): Promise<OriginateRateResult> {
  const rate = options.rate ?? 50;
  const seconds = options.seconds ?? 60;
  const timeScale = options.timeScale ?? Number(process.env.BENCH_TIME_SCALE ?? '1');
  const maxConcurrent = options.maxConcurrent ?? 1_000;
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const fn of closers.splice(0)) await fn().catch((error: unknown) => process.stderr.write(`  closing: ${String(error)}\n`));
  };
  try {
    const { store: inner, db } = await openStores(options.serverUrl, closers);
    const store = new TimedStore(inner);
    const runner = new ProjectionRunner({ store, db, projections: allProjections() });
    closers.unshift(() => runner.stop());
    await runner.start();

    // No-answer rings out at the Originate timeout (21.5 s); an answered call without a key press
    // lasts dial 2–12 s + IVR read 8–10 s + goodbye 0.5–2 s (~17 s): 60/40 gives ~19 s on average.
    const config = loadConfig({
      SIREN_ORIGINATE_TIMEOUT_MS: '21500',
      SIREN_TRUNK_CALLS_PER_SECOND: String(rate),
      SIREN_TRUNK_MAX_CHANNELS: String(maxConcurrent),
      SIREN_MAX_CONCURRENT_CALLS: String(maxConcurrent),
    });
    const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
    const clock = scaledClock(timeScale, new Date('2026-03-02T10:00:00.000Z'));
    const pbx = await startPbxSimulator({
      seed: 3,
      timeScale,
      outcomes: { answer: 60, noAnswer: 40, pressedOne: 0, machine: 0 },
      channelVars: [...DEFAULT_CHANNEL_VARS],
    });
    closers.unshift(() => pbx.close());
    const ami = new AmiClient({ host: pbx.host, port: pbx.port, username: 'siren', secret: 'siren', pingIntervalMs: 0, logger });
    closers.unshift(() => ami.close());
    await ami.connect();
    const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, eventStore: store, logger, clock }), { logger: false });
    closers.unshift(() => app.close());
    const bus = app.get(CommandBus);
    const dispatch = (command: SirenCommand<unknown>) => bus.execute(command);

    // Enough numbers for the window and a margin; one attempt each (no retries inside 60 s anyway).
    const contacts: Contact[] = Array.from({ length: Math.ceil(rate * seconds * 1.2) + 100 }, (_, i) => ({
      contactId: `c-${i + 1}`,
      phone: seedPhone(i),
    }));
    await prepareCampaign(dispatch, CAMPAIGN_ID, {
      config,
      contacts,
      retryPolicy: { maxAttempts: 1, retryDelaySeconds: 1800, retryOn: [] },
      maxConcurrentCalls: maxConcurrent,
    });
    // The read models catch up with the setup first, so the lag measured is the dialing's own.
    await runner.waitFor(await store.headPosition(), 120_000);
    store.startTiming(runner);

    const stamps: number[] = [];
    const ingest = new AmiEventIngest({ source: ami, dispatch: dispatchThrough(bus), logger });
    const runtime = new DialerRuntime({
      eventStore: store,
      dispatch,
      ami,
      originator: new Originator(ami, config.telephony, { logger }),
      ingest,
      originationConfig: config.telephony,
      limits: config.dialer.limits,
      clock,
      tickMs: 20,
      reconcileGraceSeconds: Math.max(10, 2 * timeScale),
      logger,
      onOriginated: (result) => {
        if (result.status === 'queued') stamps.push(clock.now().getTime());
      },
    });
    closers.unshift(() => runtime.stop());
    let peakLiveOnPbx = 0;
    let peakLiveInDialer = 0;
    const sampler = setInterval(() => {
      peakLiveOnPbx = Math.max(peakLiveOnPbx, pbx.stats().liveChannels);
      peakLiveInDialer = Math.max(peakLiveInDialer, runtime.dialerState.liveCalls.size);
    }, 50);
    closers.unshift(async () => clearInterval(sampler));

    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    closers.unshift(async () => loopDelay.disable());
    const began = performance.now();
    await runtime.start();
    // Run until the window (from the first originate) is over, plus a simulated second.
    for (;;) {
      await sleep(100);
      const first = stamps[0];
      if (first !== undefined && clock.now().getTime() >= first + (seconds + 1) * 1000) break;
      if (performance.now() - began > ((seconds + 30) * 1000) / timeScale + 60_000) throw new Error('originate-rate bench: no progress');
    }
    const realSeconds = (performance.now() - began) / 1000;
    loopDelay.disable();
    await runtime.stop();
    clearInterval(sampler);
    const lags = await store.stopTiming(runner);

    const t0 = stamps[0]!;
    const perSecond = Array.from({ length: seconds }, () => 0);
    for (const at of stamps) {
      const bin = Math.floor((at - t0) / 1000);
      if (bin < seconds) perSecond[bin]! += 1;
    }
    const originated = perSecond.reduce((sum, n) => sum + n, 0);
    return {
      store: inner.name,
      rate,
      seconds,
      timeScale,
      originated,
      meanRate: originated / seconds,
      perSecond,
      peakLiveOnPbx,
      peakLiveInDialer,
      appendedEvents: lags.events,
      lagMs: lags.percentiles,
      realSeconds,
      loadAverage: loadavg()[0]!,
      eventLoopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
    };
  } finally {
    await close();
  }
}

async function openStores(serverUrl: string | undefined, closers: Array<() => Promise<unknown>>): Promise<{ store: EventStore; db: ReadModelDatabase }> {
  if (serverUrl) {
    // One fresh database holds both the event store and the read models (schema siren_rm).
    const database = await createTestDatabase(serverUrl, 'siren_bench');
    closers.unshift(() => database.drop());
    const store = await openPostgresEventStore(database.url);
    closers.unshift(() => store.close());
    const db = await openPostgresReadModelDatabase(database.url);
    closers.unshift(() => db.close());
    return { store, db };
  }
  const dir = mkdtempSync(join(tmpdir(), 'siren-bench-rate-'));
  closers.unshift(async () => rmSync(dir, { recursive: true, force: true }));
  const store = await openPgliteEventStore(join(dir, 'events'));
  closers.unshift(() => store.close());
  const db = await openPgliteReadModelDatabase(join(dir, 'read-models'));
  closers.unshift(() => db.close());
  return { store, db };
}

/**
 * The store everyone in the bench uses: once timing starts, each append's resolution time is
 * noted with its position, and `waitFor(position)` notes when every projection has applied it.
 */
class TimedStore implements EventStore {
  private runner: ProjectionRunner | undefined;
  private readonly waits: Promise<{ events: number; lagMs: number }>[] = [];

  constructor(private readonly inner: EventStore) {}

  get name(): string {
    return this.inner.name;
  }

  startTiming(runner: ProjectionRunner): void {
    this.runner = runner;
  }

  async stopTiming(runner: ProjectionRunner): Promise<{ events: number; percentiles: OriginateRateResult['lagMs'] }> {
    await runner.waitFor(await this.inner.headPosition(), 300_000);
    this.runner = undefined;
    const lags = await Promise.all(this.waits);
    const events = lags.reduce((sum, l) => sum + l.events, 0);
    return { events, percentiles: weightedPercentiles(lags) };
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const result = await this.inner.append(streamId, events, options);
    const runner = this.runner;
    if (runner) {
      const appendedAt = performance.now();
      this.waits.push(runner.waitFor(result.position, 300_000).then(() => ({ events: events.length, lagMs: performance.now() - appendedAt })));
    }
    return result;
  }

  readStream: EventStore['readStream'] = (...args) => this.inner.readStream(...args);
  readAll: EventStore['readAll'] = (...args) => this.inner.readAll(...args);
  subscribeToAll: EventStore['subscribeToAll'] = (...args) => this.inner.subscribeToAll(...args);
  streamRevision: EventStore['streamRevision'] = (...args) => this.inner.streamRevision(...args);
  headPosition: EventStore['headPosition'] = () => this.inner.headPosition();
  listStreams: EventStore['listStreams'] = (...args) => this.inner.listStreams(...args);
  close: EventStore['close'] = () => this.inner.close();
}

/** p50/p99/max of the lags, each append counted once per event it carried. */
function weightedPercentiles(lags: readonly { events: number; lagMs: number }[]): OriginateRateResult['lagMs'] {
  const sorted = lags.filter((l) => l.events > 0).sort((a, b) => a.lagMs - b.lagMs);
  const total = sorted.reduce((sum, l) => sum + l.events, 0);
  const at = (q: number): number => {
    let seen = 0;
    for (const l of sorted) {
      seen += l.events;
      if (seen >= q * total) return l.lagMs;
    }
    return sorted[sorted.length - 1]?.lagMs ?? 0;
  };
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1]?.lagMs ?? 0 };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const pct = (value: number, target: number): string => {
  const d = ((value - target) / target) * 100;
  return `${d >= 0 ? '+' : ''}${d.toFixed(1)} %`;
};

/** Worst per-second window, by absolute deviation from the rate. */
function worstWindow(perSecond: readonly number[], rate: number): { second: number; count: number } {
  let worst = { second: 0, count: perSecond[0] ?? 0 };
  perSecond.forEach((count, second) => {
    if (Math.abs(count - rate) > Math.abs(worst.count - rate)) worst = { second, count };
  });
  return worst;
}

export async function originateRateSection(r: OriginateRateResult, pgVersion = ''): Promise<string> {
  const within = (n: number) => Math.abs(n - r.rate) <= r.rate * 0.02;
  const worst = worstWindow(r.perSecond, r.rate);
  const steady = r.perSecond.slice(1);
  const worstSteady = worstWindow(steady, r.rate);
  const fives = Array.from({ length: Math.floor(r.perSecond.length / 5) }, (_, i) => r.perSecond.slice(i * 5, i * 5 + 5).reduce((sum, n) => sum + n, 0));
  const worst5 = worstWindow(fives, r.rate * 5);
  const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;
  const rows: (string | number)[][] = [
    ['configured rate (SIREN_TRUNK_CALLS_PER_SECOND, 1 trunk)', `${r.rate} calls/s`, ''],
    [`originates accepted in ${r.seconds} simulated s (from the first)`, r.originated.toLocaleString('en-US'), ''],
    [`mean rate over the ${r.seconds} s`, `${r.meanRate.toFixed(2)} calls/s (${pct(r.meanRate, r.rate)})`, within(r.meanRate) ? 'yes' : 'no'],
    ['worst 1-s window, all', `${worst.count} in second ${worst.second + 1} (${pct(worst.count, r.rate)})`, within(worst.count) ? 'yes' : 'no'],
    ['worst 1-s window, after the first second', `${worstSteady.count} in second ${worstSteady.second + 2} (${pct(worstSteady.count, r.rate)})`, within(worstSteady.count) ? 'yes' : 'no'],
    ['1-s windows within ±2 %', `${r.perSecond.filter(within).length} of ${r.seconds}`, ''],
    ['worst 5-s window (12 back to back)', `${worst5.count} in seconds ${worst5.second * 5 + 1}–${worst5.second * 5 + 5} (${pct(worst5.count, r.rate * 5)})`, Math.abs(worst5.count - r.rate * 5) <= r.rate * 5 * 0.02 ? 'yes' : 'no'],
    ['peak live calls: PBX channels / dialer fold', `${r.peakLiveOnPbx} / ${r.peakLiveInDialer}`, ''],
    [`projection lag, ${r.appendedEvents.toLocaleString('en-US')} events appended while dialing`, `p50 ${ms(r.lagMs.p50)} · p99 ${ms(r.lagMs.p99)} · max ${ms(r.lagMs.max)}`, ''],
    ['event-loop delay of the process while dialing', `p99 ${ms(r.eventLoopDelayMs.p99)} · max ${ms(r.eventLoopDelayMs.max)}`, ''],
  ];
  return [
    '## Originate rate: pacing at 50 calls/s with ~1,000 live calls, and the projection lag it causes',
    '',
    machineLine(r.store === 'postgres' && pgVersion ? `PostgreSQL ${pgVersion}` : r.store === 'postgres' ? 'PostgreSQL' : 'PGlite (no server)'),
    '',
    `Store and read models: ${r.store === 'postgres' ? 'PostgreSQL (one fresh database)' : 'PGlite on disk (temporary directory)'}. One campaign through`,
    'the Nest command handlers, DialerRuntime, AMI client and ingest, against the built-in PBX',
    `simulator on a simulated clock ${r.timeScale}× real time (${r.seconds} simulated s took ${r.realSeconds.toFixed(1)} real s; load average`,
    `${r.loadAverage.toFixed(1)} on ${cpus().length} cores at the end, the machine being shared). Caps: trunk and`,
    'global 1,000 calls, campaign 1,000, trunk 50 calls/s (token bucket: default burst of 1 s, one',
    'token at start). Planning tick 20 ms.',
    'Calls last ~19 simulated s (60 % answered, IVR without a key press; 40 % ring out at the',
    '21.5 s Originate timeout). Rate = Originates the PBX accepted, stamped on the simulated clock,',
    'counted per simulated second from the first. Projection lag: every projection (all read',
    'models), real time from an append resolving to every checkpoint reaching its position.',
    `Target (issue 3): rate within ±2 % of ${r.rate}/s for ${r.seconds} s, read as the mean over the ${r.seconds} s. A 1-s`,
    `window's ±2 % is ±1 call, so the per-second counts also show the jitter of the planning cycle`,
    '(tick, appends, fold) under load; the 5-s windows show whether it averages out.',
    '',
    markdownTable(['measure', 'value', 'within ±2 %'], rows),
    '',
    `Per simulated second: ${r.perSecond.join(' ')}`,
  ].join('\n');
}

/** Run alone: `node dist/test/bench/originate-rate.bench.js [postgres-url]`. */
if (require.main === module) {
  (async () => {
    const serverUrl = process.argv[2] ?? process.env.DATABASE_URL;
    const result = await benchOriginateRate(serverUrl ? { serverUrl } : {});
    process.stdout.write(`${await originateRateSection(result, serverUrl ? await serverVersion(serverUrl) : '')}\n`);
    process.stdout.write(`${formatRate(result.appendedEvents / result.realSeconds)} events appended per real second\n`);
  })().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}

export async function serverVersion(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SHOW server_version')).rows[0].server_version as string;
  } finally {
    await client.end();
  }
}
