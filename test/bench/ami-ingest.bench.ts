import { type AddressInfo, createServer, type Socket } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { normaliseAmiMessage } from '../../src/telephony/ami/ami-fields';
import { AmiLink } from '../../src/telephony/ami/ami-link';
import { AmiWireReader } from '../../src/telephony/ami/ami-wire-reader';
import { ChannelTracker } from '../../src/telephony/ami-events/channel-tracker';
import { translateAmiEvent } from '../../src/telephony/ami-events/translate-ami-event';
import { AMI_BANNER, type AmiMessage, AmiMessageReader, header, serializeAmiMessage } from '../../src/telephony/simulator/ami-frame';
import { type Chan, frames } from '../telephony/ami-events/ami-frames';
import { formatRate, machineLine, markdownTable } from './benchmarks-file';

/**
 * AMI event ingest (issue 3: ≥ 50,000 events/s), on the production code: raw AMI bytes of
 * realistic calls → AmiLink (its socket read, AmiWireReader, asterisk-manager's routing,
 * normaliseAmiMessage) → translateAmiEvent with the calls registered in a ChannelTracker, as
 * Siren does before it dials. The bytes are built before the clock starts and written by a
 * loopback server in this process; dispatching the commands (the event store) is not timed.
 * A second figure leaves the socket and asterisk-manager out: the same bytes through
 * AmiWireReader → normaliseAmiMessage → translateAmiEvent in 64 KiB pieces.
 */
export interface IngestRun {
  events: number;
  /** Wall clock. */
  eventsPerSec: number;
  /** Per second of this process's CPU time (user + system, GC threads included). */
  eventsPerCpuSec: number;
}

export async function benchAmiIngestOverSocket(events: number): Promise<IngestRun> {
  const traffic = buildTraffic(events, `sock-${Math.random().toString(36).slice(2)}`);
  const server = await fakePbx();
  const tracker = registered(traffic.calls);
  let translated = 0;
  let commands = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const link = new AmiLink({
    host: '127.0.0.1',
    port: server.port,
    username: 'bench',
    secret: 'bench',
    loginTimeoutMs: 10_000,
    onEvent: (event) => {
      commands += translateAmiEvent(event, tracker).length;
      if (++translated === traffic.frameCount) done();
    },
    onClose: () => undefined,
  });
  try {
    let actionId = 0;
    await link.open(() => `bench-${++actionId}`);
    const run = await timed(async () => {
      server.send(traffic.bytes);
      await finished;
    });
    check(translated, traffic.frameCount, commands);
    return rates(translated, run);
  } finally {
    link.destroy();
    await link.whenClosed;
    await server.close();
  }
}

export async function benchAmiIngestInMemory(events: number): Promise<IngestRun> {
  const traffic = buildTraffic(events, `mem-${Math.random().toString(36).slice(2)}`);
  const tracker = registered(traffic.calls);
  let translated = 0;
  let commands = 0;
  const run = await timed(async () => {
    const decoder = new StringDecoder('utf8');
    const reader = new AmiWireReader();
    for (let offset = 0; offset < traffic.bytes.length; offset += CHUNK) {
      for (const message of reader.push(decoder.write(traffic.bytes.subarray(offset, offset + CHUNK)))) {
        commands += translateAmiEvent(normaliseAmiMessage(message), tracker).length;
        translated += 1;
      }
    }
  });
  check(translated, traffic.frameCount, commands);
  return rates(translated, run);
}

/** `runs` measured runs of each path after one warm-up run each; the section for BENCHMARKS.md. */
export async function amiIngestSection(events = 100_000, runs = 5): Promise<string> {
  await benchAmiIngestOverSocket(Math.min(events, 20_000));
  const socket: IngestRun[] = [];
  for (let i = 0; i < runs; i++) socket.push(await benchAmiIngestOverSocket(events));
  await benchAmiIngestInMemory(Math.min(events, 20_000));
  const memory: IngestRun[] = [];
  for (let i = 0; i < runs; i++) memory.push(await benchAmiIngestInMemory(events));
  const row = (label: string, r: IngestRun[]) => {
    const wall = r.map((x) => x.eventsPerSec).sort((a, b) => a - b);
    const cpu = r.map((x) => x.eventsPerCpuSec).sort((a, b) => a - b);
    const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
    return [label, formatRate(wall[0]!), formatRate(median(wall)), formatRate(wall[wall.length - 1]!), formatRate(median(cpu)), median(wall) >= 50_000 ? 'yes' : 'no'];
  };
  return [
    '## AMI ingest: parse frames and translate to call commands',
    '',
    machineLine(),
    '',
    'Raw AMI bytes of realistic calls (Asterisk 22 header sets, channel variables; 10 call scenarios) →',
    'translateAmiEvent, the calls registered in a ChannelTracker first; commands built, not dispatched.',
    '"socket": the production path end to end — a loopback server writes the bytes, AmiLink reads them',
    '(AmiWireReader), asterisk-manager routes each message, normaliseAmiMessage, translate.',
    '"in memory": AmiWireReader → normaliseAmiMessage → translateAmiEvent over 64 KiB pieces.',
    `${runs} runs of ${events.toLocaleString('en-US')} events each after a warm-up run; events/s on the wall clock`,
    '(min / median / max), and per CPU second of the process (median; user + system, GC included),',
    `which depends less on what else the machine runs (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores when this ran).`,
    'Target (issue 3): >= 50,000 events/s.',
    '',
    markdownTable(
      ['path', 'min events/s', 'median events/s', 'max events/s', 'median events/CPU-s', 'median >= 50,000'],
      [row('socket (AmiLink)', socket), row('in memory', memory)],
    ),
  ].join('\n');
}

const CHUNK = 64 * 1024;

function registered(calls: readonly { callId: string; channelId: string; trunk: string }[]): ChannelTracker {
  const tracker = new ChannelTracker();
  for (const call of calls) tracker.originated(call);
  return tracker;
}

function check(translated: number, frameCount: number, commands: number): void {
  if (translated !== frameCount || commands === 0) throw new Error(`bench lost events: ${translated}/${frameCount}, ${commands} commands`);
}

async function timed(run: () => Promise<void>): Promise<{ seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

function rates(events: number, { seconds, cpuSeconds }: { seconds: number; cpuSeconds: number }): IngestRun {
  return { events, eventsPerSec: Math.round(events / seconds), eventsPerCpuSec: Math.round(events / Math.max(cpuSeconds, 1e-6)) };
}

/** A PBX that accepts any login and action, and writes the traffic when told to. */
async function fakePbx(): Promise<{ port: number; send(bytes: Buffer): void; close(): Promise<void> }> {
  let client: Socket | undefined;
  const server = createServer((socket) => {
    client = socket;
    socket.write(`${AMI_BANNER}\r\n`);
    const reader = new AmiMessageReader();
    socket.on('data', (chunk) => {
      for (const action of reader.push(chunk)) {
        socket.write(serializeAmiMessage([['Response', 'Success'], ['ActionID', header(action, 'ActionID') ?? ''], ['Message', 'OK']]));
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    send: (bytes) => client?.write(bytes),
    close: () => {
      client?.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Calls cycling through the simulator's last-digit scenarios, each call's events contiguous. */
function buildTraffic(events: number, prefix: string) {
  // Serialised call by call, so the frames' objects are garbage long before the clock starts.
  const text: string[] = [];
  const calls: { callId: string; channelId: string; trunk: string }[] = [];
  let frameCount = 0;
  for (let i = 0; frameCount < events; i++) {
    const callId = `${prefix}-${i}`;
    const chan: Chan = { name: `PJSIP/trunk-main-${i.toString(16).padStart(8, '0')}`, uniqueid: `uid-${callId}`, callId };
    calls.push({ callId, channelId: chan.uniqueid, trunk: 'trunk-main' });
    const messages = callFrames(chan, i % 10);
    frameCount += messages.length;
    text.push(messages.map(serializeAmiMessage).join(''));
  }
  return { bytes: Buffer.from(text.join(''), 'utf8'), calls, frameCount };
}

function callFrames(chan: Chan, scenario: number): AmiMessage[] {
  const up = { ...chan, state: 'Up' as const };
  const dialing = [frames.newchannel(chan), frames.dialBegin(chan), frames.newstate(chan, 'Ringing')];
  const answered = [...dialing, frames.newstate(chan, 'Up'), frames.dialEnd(up, 'ANSWER'), frames.originateSuccess(up)];
  const failed = (cause: number, status: string, reason: number) => [
    ...dialing,
    frames.dialEnd(chan, status),
    frames.hangup(chan, cause, 'x'),
    frames.originateFailure(reason, chan.uniqueid),
  ];
  switch (scenario) {
    case 0:
    case 8: {
      const digit = scenario === 0 ? '1' : '2';
      return [...answered, frames.dtmfEnd(up, digit), frames.autoDialResponse(up, digit), frames.hangup(up, 16)];
    }
    case 1:
      return [...answered, frames.autoDialResponse(up, ''), frames.hangup(up, 16)];
    case 5:
      return [frames.originateFailure(0, chan.uniqueid)];
    case 6:
      return [...answered, frames.amd(up, 'MACHINE', 'GREETING-2000-1500'), frames.hangup(up, 16)];
    default: {
      const [cause, status, reason] = ({ 2: [17, 'BUSY', 5], 3: [19, 'NOANSWER', 3], 4: [34, 'CONGESTION', 8], 7: [38, 'CONGESTION', 8], 9: [1, 'CHANUNAVAIL', 0] } as const)[scenario as 2 | 3 | 4 | 7 | 9];
      return failed(cause, status, reason);
    }
  }
}

/** Run alone: `node dist/test/bench/ami-ingest.bench.js [events] [runs]`. */
if (require.main === module) {
  amiIngestSection(Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 5))
    .then((section) => process.stdout.write(`${section}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    });
}
