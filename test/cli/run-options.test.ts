/** Choosing what runs, how long things may take, and stopping a run: the options around the run itself. */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import { parseDuration } from '../../src/duration.ts';
import { globMatcher, selectCases, unmatchedPatterns, userSkips } from '../../src/selection.ts';
import { cases, cleanEnv, readResultsFile, runCli, tempDir } from '../helpers.ts';
import { breakingProxy } from '../support/broken-servers.ts';

describe('durations', () => {
  it('take units, and a bare number is milliseconds', () => {
    const bounds = { minMs: 100, maxMs: 3_600_000 };
    expect(parseDuration('30s', bounds)).toBe(30_000);
    expect(parseDuration('500ms', bounds)).toBe(500);
    expect(parseDuration('2m', bounds)).toBe(120_000);
    expect(parseDuration('1500', bounds)).toBe(1500);
    expect(parseDuration(45_000, bounds)).toBe(45_000);
  });

  it('reject implausible values, with a hint for a bare number that meant seconds', () => {
    const bounds = { minMs: 100, maxMs: 3_600_000 };
    expect(parseDuration('30', bounds)).toMatch(/did you mean 30s/);
    expect(parseDuration('0s', bounds)).toMatch(/outside/);
    expect(parseDuration('2h', bounds)).toMatch(/outside/);
    expect(parseDuration('soon', bounds)).toMatch(/not a duration/);
    expect(parseDuration('-5s', bounds)).toMatch(/not a duration/);
  });
});

describe('case patterns', () => {
  it('are ids or globs', () => {
    expect(globMatcher('chat-stream-*')('chat-stream-basic')).toBe(true);
    expect(globMatcher('chat-stream-*')('chat-streaming')).toBe(false);
    expect(globMatcher('chat-n-?')('chat-n-3')).toBe(true);
    expect(globMatcher('chat.minimal')('chatXminimal')).toBe(false);
    const chosen = selectCases(cases, { only: ['chat-stream-*'] });
    expect(chosen.length).toBeGreaterThan(3);
    expect(chosen.every((c) => c.id.startsWith('chat-stream-'))).toBe(true);
  });

  it('that match no case are named', () => {
    expect(unmatchedPatterns(['chat-minimal', 'chat-strem-*'], cases.map((c) => c.id))).toEqual(['chat-strem-*']);
  });

  it('skip with the first matching rule\'s reason', () => {
    const skips = userSkips([{ pattern: 'chat-stream-basic', reason: 'first' }, { pattern: 'chat-stream-*', reason: 'second' }], ['chat-stream-basic', 'chat-stream-n-2', 'chat-minimal']);
    expect([...skips]).toEqual([['chat-stream-basic', 'first'], ['chat-stream-n-2', 'second']]);
  });
});

const HANG_GUARD = { timeout: 300_000 };
const KEY = 'run-options-secret-3f9b27c1d0';
let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ key: KEY });
});
afterAll(() => emu.close());

describe.concurrent('the run command', HANG_GUARD, () => {
  it('shows user-skipped cases as skipped, with the reason, from --skip and the config\'s skip:', async () => {
    const dir = tempDir('aoai-options-');
    const config = join(dir, 'target.yaml');
    writeFileSync(config, 'skip:\n  - case: chat-n-*\n    reason: the gateway pins n to 1\n');
    const out = await runCli(['run', '--only', 'chat-minimal', '--only', 'chat-n-*', '--only', 'chat-stream-basic', '--skip', 'chat-stream-*', '--config', config, '--report-dir', dir, '--no-allure']);
    expect(out.code, out.stderr).toBe(0);
    const byId = new Map(readResultsFile(dir).cases.map((c) => [c.id, c]));
    expect(byId.get('chat-minimal')?.status).toBe('pass');
    expect(byId.get('chat-stream-basic')).toMatchObject({ status: 'skipped', skipReason: 'skipped by the user: --skip chat-stream-*' });
    expect(byId.get('chat-n-3')).toMatchObject({ status: 'skipped', skipReason: 'skipped by the user: the gateway pins n to 1' });
  });

  it.each([
    [['--only', 'no-such-case-*'], /no case matches "no-such-case-\*"/],
    [['--skip', 'chat-minimall'], /no case matches "chat-minimall"/],
    [['--timeout', '30'], /did you mean 30s/],
    [['--ready-timeout', 'later'], /not a duration/],
    [['--only', 'chat-minimal', '--report-dir', '/proc/aoai-conformance-test/reports'], /cannot hold the reports/],
  ])('%j is a usage error (exit 2), never a hang', async (args, message) => {
    const out = await runCli(['run', ...args]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
  });

  it('Ctrl-C ends the run with the report of what ran, marked interrupted', async () => {
    // A target that answers the pre-flight probe, then holds every request: the run is mid-flight when interrupted.
    let probed = false;
    const holding = await breakingProxy({ upstream: emu.url, mode: 'wedge', trigger: () => (probed ? true : ((probed = true), false)) });
    try {
      const dir = tempDir('aoai-options-');
      const child = spawn(process.execPath, [new URL('../../bin/aoai-conformance.js', import.meta.url).pathname, 'run', '--endpoint', holding.url, '--deployment', 'gpt-4o-mini', '--operation', 'chat.completions', '--report-dir', dir, '--no-allure'], { env: cleanEnv({ AZURE_OPENAI_API_KEY: KEY }), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      // Interrupt once a case request is held by the target (an event, not a delay).
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => holding.triggered > 0 && (clearInterval(poll), resolve()), 20);
      });
      child.kill('SIGINT');
      const code = await exited;
      expect(code).toBe(2);
      const r = readResultsFile(dir);
      expect(r.health?.interrupted).toBe(true);
      expect(r.verdict.reason).toMatch(/interrupted/);
      expect(r.cases.length).toBe(r.selection.planned.length);
      expect(r.cases.filter((c) => c.notJudged?.includes('interrupted')).length).toBeGreaterThan(0);
      expect(r.summary.failed).toBe(0);
      expect(existsSync(join(dir, 'report.html'))).toBe(true);
      expect(stdout).toContain('The run was interrupted');
    } finally {
      await holding.close();
    }
  });
});
