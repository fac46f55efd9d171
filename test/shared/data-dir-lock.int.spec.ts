import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirInUseError, lockDataDir } from '../../src/shared/data-dir-lock';

const BUILT_MODULE = join(__dirname, '..', '..', 'dist', 'src', 'shared', 'data-dir-lock.js');

/** Another process holding the lock, as a second `siren start` would (npm test builds dist/). */
function holdInChild(dir: string): Promise<ChildProcess> {
  const script = `require(${JSON.stringify(BUILT_MODULE)}).lockDataDir(${JSON.stringify(dir)}, { staleMs: 2000 })
    .then(() => process.stdout.write('locked\\n'), (e) => { console.error(e); process.exit(1); });
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
}

describe('embedded data directory lock', () => {
  let dir: string;
  let child: ChildProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'siren-lock-'));
  });

  afterEach(() => {
    child?.kill('SIGKILL');
    child = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second holder in the same process until the first releases', async () => {
    const first = await lockDataDir(dir);
    await expect(lockDataDir(dir, { waitMs: 0 })).rejects.toBeInstanceOf(DataDirInUseError);
    await first.release();
    const again = await lockDataDir(dir, { waitMs: 0 });
    await again.release();
  });

  it('refuses while another live process holds it, and takes it over once that process was killed', async () => {
    child = await holdInChild(dir);
    await expect(lockDataDir(dir, { staleMs: 2000, waitMs: 0 })).rejects.toThrow(/in use by another Siren process/);
    // Still refused after the stale period: a live owner keeps refreshing its lock.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await expect(lockDataDir(dir, { staleMs: 2000, waitMs: 0 })).rejects.toBeInstanceOf(DataDirInUseError);
    child.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));
    const taken = await lockDataDir(dir, { staleMs: 2000, waitMs: 10_000 });
    await taken.release();
  }, 30_000);
});
