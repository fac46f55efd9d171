import { runCli } from '../support/run-cli';

/**
 * `siren demo` end to end through the built CLI: a fresh embedded store, the built-in PBX
 * simulator at 1000× and the dialer, until the campaign completes; one JSON object on stdout.
 */
describe('siren demo', () => {
  it('dials a seeded campaign to completion and prints consistent counts as JSON', async () => {
    // 1000×: the default 30-minute retry delay passes in under 2 s (at the 200× default, 9 s).
    const { code, stdout, stderr } = await runCli(['demo', '--numbers', '50', '--seed', '7', '--time-scale', '1000', '--json']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]!) as {
      campaignId: string;
      numbers: number;
      attempts: number;
      dispositions: Record<string, number>;
      pressedOne: number;
      durationMs: number;
    };
    expect(report.campaignId).toEqual(expect.any(String));
    expect(report.numbers).toBe(50);
    expect(report.attempts).toBeGreaterThanOrEqual(50);
    // The default policy makes at most 3 attempts per number.
    expect(report.attempts).toBeLessThanOrEqual(150);
    const ended = Object.values(report.dispositions).reduce((sum, n) => sum + n, 0);
    expect(ended).toBe(report.attempts);
    expect(report.pressedOne).toBeLessThanOrEqual(report.dispositions.answered ?? 0);
    expect(report.durationMs).toBeGreaterThan(0);
  }, 120_000);

  it('is listed in --help and documents its options', async () => {
    const help = await runCli(['--help']);
    expect(help.stdout).toMatch(/^\s+demo\b/m);
    const result = await runCli(['demo', '--help']);
    expect(result.code).toBe(0);
    for (const option of ['--numbers', '--seed', '--time-scale', '--json', '--keep']) expect(result.stdout).toContain(option);
  });

  it('refuses a number count that is not a whole number', async () => {
    const { code, stderr } = await runCli(['demo', '--numbers', 'many']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/--numbers/);
  });
});
