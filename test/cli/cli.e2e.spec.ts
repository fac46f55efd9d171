import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, SIREN_BIN } from '../support/run-cli';

describe('siren CLI', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'siren-cli-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lists its commands in --help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['start', 'audit', 'numbers']) expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it.each(['audit verify', 'numbers check', 'start'])('has --help for %s', async (command) => {
    const result = await runCli([...command.split(' '), '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: siren');
  });

  it('refuses a malformed DATABASE_URL with one line naming the variable', async () => {
    const result = await runCli(['audit', 'verify'], { DATABASE_URL: 'mysql://nope' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^siren: DATABASE_URL: /);
  });

  it('refuses an unreachable DATABASE_URL with one line naming the variable', async () => {
    const result = await runCli(['audit', 'verify'], { DATABASE_URL: 'postgres://postgres:pw@127.0.0.1:1/nowhere' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^siren: DATABASE_URL: cannot open the postgres event store at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nowhere: /);
    expect(result.stderr).not.toContain(':pw@');
  });

  it('refuses to start when the configured PBX cannot be reached, in one line naming AMI_HOST', async () => {
    const result = await runCli(['start'], { SIREN_DATA_DIR: dataDir, AMI_HOST: '127.0.0.1', AMI_PORT: '1', AMI_SECRET: 'not-logged' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n').filter((l) => l.startsWith('siren:'))).toEqual([expect.stringMatching(/^siren: AMI_HOST: cannot connect to the PBX/)]);
    expect(result.stderr).not.toContain('not-logged');
  });

  it('starts on the embedded defaults and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [SIREN_BIN, 'start'], {
      env: { PATH: process.env.PATH ?? '', SIREN_DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const started = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (stderr.includes('Siren started')) resolve();
      });
      child.on('close', () => reject(new Error(`exited before starting: ${stderr}`)));
    });
    await started;
    expect(stderr).toContain('"eventStore":"pglite"');
    expect(stderr).toMatch(/"pbx":"built-in simulator on 127\.0\.0\.1:\d+"/);
    expect(stderr).toContain('nobody is really dialed');
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('Siren stopping');
  });

  describe('numbers check', () => {
    const fixture = join(__dirname, '..', 'fixtures', 'numbers', 'mixed.txt');

    it('validates a numbers file and prints a summary, changing nothing', async () => {
      const result = await runCli(['numbers', 'check', fixture], { SIREN_DATA_DIR: dataDir });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/\d+ valid/);
    });

    it('prints the whole result as JSON', async () => {
      const result = await runCli(['numbers', 'check', fixture, '--json', '--region', 'US']);
      expect(result.code).toBe(0);
      const parsed = JSON.parse(result.stdout);
      expect(parsed.valid.length).toBeGreaterThan(0);
      expect(parsed.valid.every((v: { e164: string }) => /^\+[1-9]\d{6,14}$/.test(v.e164))).toBe(true);
    });

    it('refuses a file over the size limit before reading it, in one line', async () => {
      const big = join(dataDir, 'big.txt');
      writeFileSync(big, '+12125550100\n'.repeat(200));
      const result = await runCli(['numbers', 'check', big], { SIREN_IMPORT_MAX_BYTES: '1024' });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('big.txt is 2.6 KB; the limit is 1 KB');
    });

    it('refuses binary content with a clear error', async () => {
      const binary = join(dataDir, 'numbers.txt');
      writeFileSync(binary, Buffer.from([0x2b, 0x31, 0x00, 0x00, 0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]));
      const result = await runCli(['numbers', 'check', binary]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^siren: .*numbers\.txt/);
    });
  });
});
