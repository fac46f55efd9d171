import { type ChildProcess, spawn } from 'node:child_process';
import { SIREN_BIN } from './run-cli';

/** One pino line of the child's stderr: `msg` plus whatever fields it logged. */
export type LogLine = { msg?: string; level?: number } & Record<string, unknown>;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * `siren start` as a separate process (the BUILT binary), for tests that crash and restart the
 * service. Its stderr is kept line by line so a test can wait for what the service said.
 */
export class SirenProcess {
  readonly exited: Promise<Exit>;
  readonly lines: LogLine[] = [];
  private stderr = '';
  private partial = '';
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();

  /** The environment is exactly `env` plus PATH: never the developer's DATABASE_URL by accident. */
  constructor(args: string[], env: Record<string, string>) {
    this.child = spawn(process.execPath, [SIREN_BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child.stderr!.on('data', (chunk: Buffer) => this.read(chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', (code, signal) => resolve({ code, signal })));
    void this.exited.then(() => this.wake());
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Everything the process wrote on stderr so far (for failure messages). */
  get output(): string {
    return this.stderr + this.partial;
  }

  /** Resolves with the first line logged with this message; rejects if the process exits first. */
  async waitForLog(msg: string, timeoutMs: number): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.find((l) => l.msg === msg);
      if (line) return line;
      if (!this.running) throw new Error(`siren exited before logging "${msg}":\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`siren did not log "${msg}" within ${timeoutMs} ms:\n${this.tail()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** Sends `signal` and waits for the exit; rejects if the process is still running after `timeoutMs`. */
  async stop(signal: NodeJS.Signals, timeoutMs: number): Promise<Exit> {
    this.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`siren did not exit within ${timeoutMs} ms of ${signal}:\n${this.tail()}`)), timeoutMs);
    });
    return Promise.race([this.exited, late]).finally(() => clearTimeout(timer));
  }

  /** The last lines of stderr, for a failure message. */
  tail(lines = 20): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }

  private read(text: string): void {
    this.stderr += text;
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const part of parts) {
      try {
        this.lines.push(JSON.parse(part) as LogLine);
      } catch {
        this.lines.push({ msg: part });
      }
    }
    this.wake();
  }

  private wake(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }
}
