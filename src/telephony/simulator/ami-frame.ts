/**
 * The AMI wire format: a message is `Key: Value` lines, each ended by CRLF, and the message ends
 * with an empty line. Headers keep their order and may repeat (`Variable:` in an Originate,
 * `ChanVariable:` in events), so a message is a list of pairs rather than a map.
 *
 * Shared by the PBX simulator and (later) Siren's AMI client, so it has no simulator concepts.
 */
export type AmiHeader = readonly [name: string, value: string];
export type AmiMessage = readonly AmiHeader[];

/** The greeting Asterisk sends on connect, before any message. */
export const AMI_BANNER = 'Asterisk Call Manager/9.0.0';

/** Thrown when a value would smuggle a line break, i.e. inject a header or a whole action. */
export class AmiInjectionError extends Error {
  readonly code = 'AMI_INJECTION';
  constructor(readonly header: string) {
    super(`AMI header ${JSON.stringify(header)} contains a line break or an invalid name`);
    this.name = 'AmiInjectionError';
  }
}

/** First value of a header; names compare case-insensitively, as Asterisk's astman_get_header does. */
export function header(message: AmiMessage, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of message) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** Every value of a repeatable header, in order. */
export function headers(message: AmiMessage, name: string): string[] {
  const wanted = name.toLowerCase();
  return message.filter(([key]) => key.toLowerCase() === wanted).map(([, value]) => value);
}

/** One message as it goes on the wire. Refuses CR/LF anywhere, so no caller can inject a header. */
export function serializeAmiMessage(message: AmiMessage): string {
  let out = '';
  for (const [name, value] of message) {
    // A name ends at the first ':' on the wire, so it may hold neither that nor a line break
    // (`ChanVariable(PJSIP/trunk-0000002a)` is a valid name).
    if (!/^[^\s:][^\r\n:]*$/.test(name)) throw new AmiInjectionError(name);
    if (/[\r\n]/.test(value)) throw new AmiInjectionError(name);
    out += `${name}: ${value}\r\n`;
  }
  return `${out}\r\n`;
}

/** Parses one `Key: Value` line; Asterisk also accepts `Key:Value`. A line without ':' is not a header. */
export function parseAmiHeaderLine(line: string): AmiHeader | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0) return undefined;
  const name = line.slice(0, colon).trim();
  // Only the separator's spaces go: a value may itself contain ':' or end in spaces that matter.
  const value = line.slice(colon + 1).replace(/^ +/, '');
  return name ? [name, value] : undefined;
}

export interface AmiReaderOptions {
  /** A client reads the `Asterisk Call Manager/x.y.z` greeting first; a server does not. */
  expectBanner?: boolean;
}

/**
 * Incremental reader: feed it socket chunks, get whole messages back. Tolerates LF-only line ends,
 * stray blank lines and lines that are not headers (collected in `malformedLines` rather than
 * failing the connection, because one bad line from a PBX must not stop the event stream).
 */
export class AmiMessageReader {
  banner: string | undefined;
  readonly malformedLines: string[] = [];
  private buffer = '';
  private current: AmiHeader[] = [];
  private awaitingBanner: boolean;

  constructor(options: AmiReaderOptions = {}) {
    this.awaitingBanner = options.expectBanner ?? false;
  }

  push(chunk: string | Buffer): AmiMessage[] {
    this.buffer += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    const lines = this.buffer.split(/\r?\n/);
    this.buffer = lines.pop() ?? '';
    const complete: AmiMessage[] = [];
    for (const line of lines) {
      const message = this.takeLine(line);
      if (message) complete.push(message);
    }
    return complete;
  }

  private takeLine(line: string): AmiMessage | undefined {
    if (this.awaitingBanner) {
      this.awaitingBanner = false;
      if (line.startsWith('Asterisk Call Manager')) {
        this.banner = line;
        return undefined;
      }
    }
    if (line === '') {
      if (this.current.length === 0) return undefined;
      const message = this.current;
      this.current = [];
      return message;
    }
    const parsed = parseAmiHeaderLine(line);
    if (parsed) this.current.push(parsed);
    else this.malformedLines.push(line);
    return undefined;
  }
}
