import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { AmiWireReader, type RawAmiMessage } from '../../../src/telephony/ami/ami-wire-reader';
import { serializeAmiMessage } from '../../../src/telephony/simulator/ami-frame';
import { type Chan, frames } from '../ami-events/ami-frames';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Manager = require('asterisk-manager') as (...args: unknown[]) => {
  connect(port: number, host: string, callback?: () => void): void;
  on(event: string, listener: (...args: never[]) => void): void;
  disconnect(): void;
};

/** Realistic traffic of a few calls, then every oddity the reader must treat as asterisk-manager does. */
function traffic(): string {
  const chan: Chan = { name: 'PJSIP/trunk-main-0000002a', uniqueid: 'uid-1', callId: 'call-1' };
  const up = { ...chan, state: 'Up' as const };
  const calls = [
    frames.newchannel(chan),
    frames.dialBegin(chan),
    frames.newstate(chan, 'Ringing'),
    frames.newstate(chan, 'Up'),
    frames.dialEnd(up, 'ANSWER'),
    frames.originateSuccess(up, 'act-1'),
    frames.dtmfEnd(up, '1'),
    frames.autoDialResponse(up, '1'),
    frames.hangup(up, 16),
    frames.originateFailure(5, '<unknown>', 'act-2'),
  ]
    .map(serializeAmiMessage)
    .join('');
  const odd = [
    'Asterisk Call Manager/9.0.0\r\n',
    'Response: Success\r\nActionID: 7\r\nMessage: Authentication accepted\r\n\r\n',
    '\r\n\r\n', // stray blank lines: empty messages
    'Event: Odd\nKey:value\nEmpty:\nEmptySpaced: \n  Spaced Name  : v\nRepeated: 1\nRepeated: 2\nRepeated: 3\n\n',
    'Event: Vars\r\nChanVariable: A=1\r\nChanVariable: A=2\r\nChanVariable: NOEQ\r\nChanVariable: =v\r\nChanVariable: B=x=y\r\n',
    'ChanVariable(PJSIP/x-1): C=3\r\nVariable: D=4\r\nDestChanVariable: SIREN_CALL_ID=c-9\r\n\r\n',
    'Event: Two\r\nEvent: Events\r\nValue: a: b: c\r\nCarriage: x\ry\r\nTrailing: spaces   \r\n\r\n',
    'Event: Unicode\r\nCallerIDName: Zoë 日本語 😀\r\n\r\n',
    'Response: Follows\r\nPrivilege: Command\r\nActionID: cmd-1\r\nline one\r\n\r\nline two\r\n--END COMMAND--\r\n\r\n',
    'Response: Follows\r\nNo action id\r\n--END COMMAND--\r\nafter end\r\n\r\n',
    'Asterisk Call Manager/9.0.0\r\nEvent: AfterGreeting\r\n\r\n',
    'Event: Ping\r\nAsterisk Call Manager inside\r\n\r\n',
  ].join('');
  return calls + odd + calls;
}

/** Bytes in random-sized pieces, split anywhere (inside a CRLF, inside a UTF-8 character). */
function pieces(bytes: Buffer, seed: number): Buffer[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(next() * 90);
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

function ours(chunks: readonly Buffer[]): RawAmiMessage[] {
  const decoder = new StringDecoder('utf8');
  const reader = new AmiWireReader();
  return chunks.flatMap((chunk) => reader.push(decoder.write(chunk)));
}

/** What asterisk-manager's own reader makes of the same bytes, read off a real socket. */
async function theirs(chunks: readonly Buffer[], expected: number): Promise<RawAmiMessage[]> {
  let client: Socket | undefined;
  const server: Server = createServer((socket) => (client = socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const manager = Manager(undefined, '127.0.0.1', 'u', 's', true);
  const messages: RawAmiMessage[] = [];
  manager.on('rawevent', (message: never) => messages.push(copy(message)));
  manager.on('error', () => undefined);
  try {
    await new Promise<void>((resolve) => manager.connect((server.address() as AddressInfo).port, '127.0.0.1', resolve));
    while (!client) await new Promise((resolve) => setTimeout(resolve, 5));
    for (const chunk of chunks) {
      client.write(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const deadline = Date.now() + 5000;
    while (messages.length < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    return messages;
  } finally {
    manager.disconnect();
    client?.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** A copy deep enough for the rewrite below. */
function copy(message: RawAmiMessage): RawAmiMessage {
  const entries = Object.entries(message).map(([key, value]) => [key, Array.isArray(value) ? [...value] : value && typeof value === 'object' ? { ...value } : value]);
  return Object.fromEntries(entries) as RawAmiMessage;
}

/** ManagerEvent's in-place rewrite of an event's name. */
function routed(message: RawAmiMessage): RawAmiMessage {
  const name = message.event;
  if (name) message.event = `${Array.isArray(name) ? name.shift() : name}`;
  return message;
}

describe('AmiWireReader parses exactly as asterisk-manager does', () => {
  const bytes = Buffer.from(traffic(), 'utf8');

  it.each([1, 2, 3])('message for message, whatever the chunking (seed %i)', async (seed) => {
    const chunks = pieces(bytes, seed);
    const mine = ours(chunks);
    expect(mine.length).toBeGreaterThan(20);
    // Its routing (the first `rawevent` listener) then rewrites `event` in place, to the first of a
    // repeat, before anyone else sees the message: the same rewrite applies to ours in production.
    expect(await theirs(chunks, mine.length)).toStrictEqual(mine.map(copy).map(routed));
  });

  it('keeps a partial line and a partial message until the rest arrives', () => {
    const reader = new AmiWireReader();
    expect(reader.push('Event: Hangup\r\nUniqueid: u')).toEqual([]);
    expect(reader.push('1\r\n\r')).toEqual([]);
    expect(reader.push('\n')).toEqual([{ event: 'Hangup', uniqueid: 'u1' }]);
  });
});
