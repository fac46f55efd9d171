/**
 * asterisk-manager 0.2's reader (`ManagerReader` in lib/ami.js), rewritten for speed with the
 * same output, message for message: the link feeds the socket's text here and hands each message
 * to asterisk-manager's own `rawevent` routing, so responses, list events and events reach it in
 * the order, and the shape, they always did. The original re-copies and shifts its line array and
 * trims every header name with a regular expression; at tens of thousands of events per second it
 * was most of the AMI ingest's CPU (BENCHMARKS.md, AMI ingest). What it does, and so what this does:
 * - lines end at `\n`, a `\r` before it is dropped; an empty line ends a message (an empty line
 *   with no message before it yields `{}`, which asterisk-manager routes nowhere);
 * - a line starting `Asterisk Call Manager` where a message would start is the greeting: skipped;
 * - `Key: value`: the name is everything before the first `": "`, trimmed and lower-cased, the
 *   value everything after it (`Key:value` is a name with no value); a repeated name collects an
 *   array; `Variable` / `ChanVariable` collect an object of `NAME=value` (a repeated NAME: last wins);
 * - a message whose first line is `Response: …Follows…` runs up to `--END COMMAND--` (or
 *   `--END SMS EVENT--`) and an empty line: `{ response: 'follows', content, actionid }`.
 * test/telephony/ami/ami-wire-reader.unit.spec.ts checks it against asterisk-manager itself.
 */
export type RawAmiMessage = Record<string, unknown>;

const GREETING = 'Asterisk Call Manager';
const END_MARKS = new Set(['--END COMMAND--', '--END SMS EVENT--']);

export class AmiWireReader {
  /** The text after the last line end. */
  private partial = '';
  /** Lines of the message being read. */
  private lines: string[] = [];
  /** 0: headers; 1: inside a `Follows` response; 2: its end mark was seen. */
  private follow = 0;

  /** Text in (decoded socket data), whole messages out, in order. */
  push(text: string): RawAmiMessage[] {
    const out: RawAmiMessage[] = [];
    const data = this.partial === '' ? text : this.partial + text;
    let start = 0;
    for (let nl = data.indexOf('\n'); nl >= 0; nl = data.indexOf('\n', start)) {
      const end = nl > start && data.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.take(end === start ? '' : data.slice(start, end), out);
      start = nl + 1;
    }
    this.partial = start === 0 ? data : data.slice(start);
    return out;
  }

  private take(line: string, out: RawAmiMessage[]): void {
    const { lines } = this;
    if (lines.length === 0 && line.startsWith(GREETING)) return;
    if (lines.length === 0 && isFollowsResponse(line)) {
      this.follow = 1;
      lines.push(line);
    } else if (this.follow !== 0 && END_MARKS.has(line)) {
      this.follow = 2;
      lines.push(line);
    } else if (this.follow > 1 && line === '') {
      lines.pop();
      const content = lines.join('\n');
      const message: RawAmiMessage = { response: 'follows', content };
      const actionId = /actionid: ([^\r\n]+)/i.exec(content);
      message.actionid = actionId ? actionId[1] : undefined;
      this.reset();
      out.push(message);
    } else if (this.follow === 0 && line === '') {
      out.push(headersOf(lines));
      this.reset();
    } else {
      lines.push(line);
    }
  }

  private reset(): void {
    this.lines = [];
    this.follow = 0;
  }
}

function isFollowsResponse(line: string): boolean {
  return line.length >= 9 && line.slice(0, 9).toLowerCase() === 'response:' && line.toLowerCase().includes('follow');
}

function headersOf(lines: readonly string[]): RawAmiMessage {
  const message: RawAmiMessage = {};
  for (const line of lines) {
    if (line === '') continue;
    const separator = line.indexOf(': ');
    const key = headerName(separator < 0 ? line : line.slice(0, separator));
    const value = separator < 0 ? '' : line.slice(separator + 2);
    if (key === 'variable' || key === 'chanvariable') {
      if (typeof message[key] !== 'object') message[key] = {};
      const eq = value.indexOf('=');
      (message[key] as Record<string, string>)[eq < 0 ? value : value.slice(0, eq)] = eq < 0 ? '' : value.slice(eq + 1);
    } else if (key in message) {
      const previous = message[key];
      if (Array.isArray(previous)) previous.push(value);
      else message[key] = [previous, value];
    } else {
      message[key] = value;
    }
  }
  return message;
}

// Header names come from a small set: each is trimmed and lower-cased once, not per message.
const NAMES = new Map<string, string>();
const MAX_NAMES = 4096;

function headerName(raw: string): string {
  let name = NAMES.get(raw);
  if (name === undefined) {
    name = raw.trim().toLowerCase();
    if (NAMES.size < MAX_NAMES) NAMES.set(raw, name);
  }
  return name;
}
