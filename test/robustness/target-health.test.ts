/**
 * A misbehaving target is a finding, never noise. Against loopback servers that break the way real ones do,
 * the CLI run ends with the culprit named, no later case blamed on the target, every report written, and the
 * exit code the README documents. Time limits given here are far above what a healthy answer takes; what
 * happens in time is driven by the servers' events (a trigger request, a port that reopens).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import type { RunResults } from '../../src/results/model.ts';
import { readResultsFile, runCli, tempDir } from '../helpers.ts';
import { breakingProxy, closedPort, silentServer, slowStarter } from '../support/broken-servers.ts';

const KEY = 'target-health-secret-7e3a91c4b2';
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ key: KEY });
});
afterAll(() => emu.close());

function cli(endpoint: string, dir: string, extra: string[]) {
  return runCli(['run', '--endpoint', endpoint, '--deployment', 'gpt-4o-mini', '--report-dir', dir, '--no-allure', ...extra], { AZURE_OPENAI_API_KEY: KEY });
}

function reportsWritten(dir: string): void {
  for (const f of ['results.json', 'junit.xml', 'report.html']) expect(existsSync(join(dir, f)), f).toBe(true);
}

/** Cases whose transport check failed: the target did not answer them. */
function blamedOnTransport(r: RunResults): string[] {
  return r.cases.filter((c) => c.checks.some((k) => k.check === 'transport' && k.status === 'fail')).map((c) => c.id);
}

/** Each test runs the CLI as a process: a hang guard far above the ~20 s such a run takes on a quiet machine. */
const HANG_GUARD = { timeout: 300_000 };

describe.concurrent('a target that breaks during the run', HANG_GUARD, () => {
  it('stops answering everything after one request: that case is named, the rest are not judged, the run stops early', async () => {
    const wedging = await breakingProxy({ upstream: emu.url, mode: 'wedge', trigger: (_req, body) => body.includes('"max_tokens":-1') });
    try {
      const dir = tempDir('aoai-health-');
      // The short --timeout is the event under test (the wedged request); one at a time and the culprit first, no
      // answered request is ever subject to it (the pre-flight probe has --ready-timeout). Requests in flight beside
      // the culprit are the health monitor's unit tests' (test/robustness/health-monitor.test.ts).
      const selection = ['--only', 'completions-max-tokens-negative', '--only', 'completions-temperature-*', '--concurrency', '1'];
      const out = await cli(wedging.url, dir, [...selection, '--timeout', '5s', '--recovery-timeout', '2s']);
      reportsWritten(dir);
      const r = readResultsFile(dir);
      expect(out.code, out.stderr).toBe(1);
      expect(r.health?.incidents[0]).toMatchObject({ kind: 'outage', culprit: 'completions-max-tokens-negative', recovered: false });
      expect(blamedOnTransport(r)).toEqual(['completions-max-tokens-negative']);
      const notJudged = r.cases.filter((c) => c.notJudged);
      expect(notJudged.map((c) => c.id).sort()).toEqual(r.cases.map((c) => c.id).filter((id) => id !== 'completions-max-tokens-negative').sort());
      expect(notJudged.length).toBeGreaterThan(0);
      for (const c of notJudged) expect(c.status).toBe('error');
      expect(r.verdict.reason).toMatch(/incomplete/);
      expect(out.stdout).toContain('stopped answering after case completions-max-tokens-negative');
      expect(out.stdout).toContain('curl');
      expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('data-testid="headline"');
      expect(out.stdout + out.stderr).not.toContain(KEY);
    } finally {
      await wedging.close();
    }
  });

  it('exits on one request and is started again a few seconds later: the run resumes and judges every other case', async () => {
    const crashing = await breakingProxy({ upstream: emu.url, mode: 'crash', downForMs: 1_500, trigger: (req, body) => (req.url ?? '').includes('/chat/completions') && body.startsWith('{') && !isJson(body) });
    try {
      const dir = tempDir('aoai-health-');
      // Both limits are hang guards: the crash resets connections and the port reopens, events the run reacts to.
      const out = await cli(crashing.url, dir, ['--operation', 'chat.completions', '--timeout', '60s', '--recovery-timeout', '120s']);
      reportsWritten(dir);
      const r = readResultsFile(dir);
      expect(out.code, out.stdout).toBe(1);
      expect(r.health?.incidents).toHaveLength(r.health!.incidents.filter((i) => i.culprit === 'chat-malformed-json').length);
      expect(r.health?.incidents[0]).toMatchObject({ kind: 'outage', culprit: 'chat-malformed-json', proven: true, recovered: true });
      expect(blamedOnTransport(r)).toEqual(['chat-malformed-json']);
      expect(r.cases.filter((c) => c.notJudged)).toEqual([]);
      // Every other case is judged on its own, as against the emulator itself.
      expect(r.cases.filter((c) => c.id !== 'chat-malformed-json' && (c.status === 'fail' || c.status === 'error')).map((c) => c.id)).toEqual([]);
    } finally {
      await crashing.close();
    }
  });
});

describe.concurrent('a target unusable from the start', HANG_GUARD, () => {
  it('accepts connections and never answers: one pre-flight error, exit 2, no case failed', async () => {
    const silent = await silentServer();
    try {
      const dir = tempDir('aoai-health-');
      const out = await cli(silent.url, dir, ['--only', 'chat-*', '--ready-timeout', '2s']);
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/did not answer .* within 2 s/);
      reportsWritten(dir);
      const r = readResultsFile(dir);
      expect(r.health?.preflight).toMatchObject({ ok: false });
      expect(r.summary.failed).toBe(0);
      expect(r.cases.every((c) => c.status === 'error' && c.notJudged?.includes('pre-flight'))).toBe(true);
      expect(out.stdout.match(/FAIL/g) ?? []).toEqual([]);
    } finally {
      await silent.close();
    }
  });

  it('refuses connections: one clear error and exit 2', async () => {
    const dir = tempDir('aoai-health-');
    const out = await cli(await closedPort(), dir, ['--only', 'chat-minimal']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/cannot be reached: connection refused/);
    expect(out.stderr).toMatch(/--wait-for-target/);
    reportsWritten(dir);
    expect(readResultsFile(dir).summary.failed).toBe(0);
  });

  it('presents a self-signed certificate: a TLS error of the run, not of the target, exit 2', async () => {
    const fixture = (f: string) => readFileSync(new URL(`../fixtures/tls/${f}`, import.meta.url));
    const server = createHttpsServer({ key: fixture('self-signed.key'), cert: fixture('self-signed.crt') }, (_req, res) => res.end('{}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const dir = tempDir('aoai-health-');
      const out = await cli(`https://127.0.0.1:${(server.address() as AddressInfo).port}`, dir, ['--only', 'chat-minimal']);
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/TLS failure/);
      expect(readResultsFile(dir).summary.failed).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('is named without a scheme: a usage error, exit 2', async () => {
    const out = await cli('localhost:8080', tempDir('aoai-health-'), ['--only', 'chat-minimal']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('did you mean http://localhost:8080?');
  });

  it('gives its first answer only after several seconds: the readiness check waits, and no case is judged while it starts', async () => {
    const cold = await slowStarter(emu.url, 2_000);
    try {
      const dir = tempDir('aoai-health-');
      const out = await cli(cold.url, dir, ['--only', 'chat-minimal', '--only', 'chat-n-3', '--only', 'embeddings-input-*']);
      const r = readResultsFile(dir);
      expect(out.code, out.stdout).toBe(0);
      expect(r.health?.preflight?.ok).toBe(true);
      // While it was starting the server received the readiness check's probe (the cheapest chat request) and nothing else.
      expect(cold.arrivedWhileCold.map((body) => JSON.parse(body))).toEqual([{ messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 }]);
      expect(r.summary.failed + r.summary.errors).toBe(0);
    } finally {
      await cold.close();
    }
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
