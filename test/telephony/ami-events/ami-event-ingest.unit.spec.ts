import { Writable } from 'node:stream';
import pino from 'pino';
import type { CallCommand } from '../../../src/calls/call.decider';
import { DomainError } from '../../../src/shared/domain-error';
import type { AmiEvent } from '../../../src/telephony/ami/ami-fields';
import { AmiEventIngest, type DispatchCommand } from '../../../src/telephony/ami-events/ami-event-ingest';
import { type Chan, frames, toAmiEvent } from './ami-frames';

class FakeSource {
  private handler: ((event: AmiEvent) => void) | undefined;
  onEvent(handler: (event: AmiEvent) => void): () => void {
    this.handler = handler;
    return () => (this.handler = undefined);
  }
  emit(...messages: Parameters<typeof toAmiEvent>[0][]): void {
    for (const message of messages) this.handler?.(toAmiEvent(message));
  }
  get subscribed(): boolean {
    return this.handler !== undefined;
  }
}

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

const chanFor = (callId: string, n: number): Chan => ({ name: `PJSIP/15550100${n}@trunk-a-0000000${n}`, uniqueid: `uid-${callId}`, callId });

describe('AmiEventIngest', () => {
  it('dispatches each call’s commands in order, calls independently, and survives refusals and failures', async () => {
    const source = new FakeSource();
    const dispatched: string[] = [];
    const { logger, lines } = capturingLogger();
    // The first call's commands wait until the second call has ended: if calls shared one queue,
    // this would never finish (the test times out), and within each call the order must hold.
    let secondCallEnded!: () => void;
    const secondCallEnd = new Promise<void>((resolve) => (secondCallEnded = resolve));
    const dispatch: DispatchCommand = async (command) => {
      if (command.callId === 'c1') await secondCallEnd;
      else await new Promise((resolve) => setImmediate(resolve));
      dispatched.push(`${command.callId}:${command.type}`);
      if (command.callId === 'c2' && command.type === 'RecordHangup') {
        secondCallEnded();
        throw new DomainError('CALL_ALREADY_HUNG_UP', 'duplicate');
      }
      if (command.callId === 'c1' && command.type === 'RecordAnswer') throw new Error('store down');
    };
    const ingest = new AmiEventIngest({ source, dispatch, logger });
    ingest.tracker.originated({ callId: 'c1', channelId: 'uid-c1', trunk: 'main' });
    ingest.tracker.originated({ callId: 'c2', channelId: 'uid-c2' });
    ingest.start();

    const [c1, c2] = [chanFor('c1', 1), chanFor('c2', 2)];
    source.emit(frames.newchannel(c1), frames.newchannel(c2), frames.newstate(c1, 'Up'), frames.hangup(c2, 17, 'User busy'), frames.hangup({ ...c1, state: 'Up' }, 16));
    await ingest.stop();

    expect(dispatched.filter((d) => d.startsWith('c1'))).toEqual(['c1:RecordOriginated', 'c1:RecordAnswer', 'c1:RecordHangup']);
    expect(dispatched.filter((d) => d.startsWith('c2'))).toEqual(['c2:RecordOriginated', 'c2:RecordHangup']);
    expect(dispatched.indexOf('c2:RecordHangup')).toBeLessThan(dispatched.indexOf('c1:RecordOriginated'));
    expect(source.subscribed).toBe(false);

    expect(lines.find((l) => l.code === 'CALL_ALREADY_HUNG_UP')).toMatchObject({ level: 20, msg: 'AMI event already recorded' });
    expect(lines.find((l) => l.error === 'store down')).toMatchObject({ level: 50, command: 'RecordAnswer', callId: 'c1' });
    // The dialed number in a channel name is masked in the logs.
    const originated = lines.find((l) => l.command === 'RecordOriginated' && l.callId === 'c1');
    expect(originated?.channel).toMatch(/^PJSIP\/155\*+1001@trunk-a-/);
  }, 3000);

  it('a translator failure is logged, not thrown into the AMI client', () => {
    const { logger, lines } = capturingLogger();
    const ingest = new AmiEventIngest({ source: new FakeSource(), dispatch: async () => undefined, logger });
    const hostile = new Proxy({ event: 'Hangup' } as AmiEvent, {
      get: (target, key) => {
        if (key === 'linkedid') throw new Error('boom');
        return Reflect.get(target, key);
      },
    });
    let commands: CallCommand[] = [];
    expect(() => (commands = ingest.ingest(hostile))).not.toThrow();
    expect(commands).toEqual([]);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'AMI event not translated' });
  });
});
