/**
 * The CLI as a user runs it: a child process, exit codes, the three report files, and no secret
 * anywhere in them or on the terminal.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/results/model.ts';
import { cleanEnv, cliCwd, tempDir } from '../helpers.ts';

const BIN = new URL('../../bin/aoai-conformance.js', import.meta.url).pathname;
const SECRET = 'sk-planted-secret-7c1e9a4b2d6f8e0a3c5b';

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: cliCwd(), env: cleanEnv({ AZURE_OPENAI_API_KEY: SECRET, ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function reportDir(): string {
  return tempDir('aoai-report-');
}

function readResults(dir: string): RunResults {
  return JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResults;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
}

function expectNoSecret(dir: string, out: Outcome): void {
  const files = filesUnder(dir);
  expect(files.some((f) => f.includes('allure-results'))).toBe(true);
  for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toContain(SECRET);
  expect(out.stdout).not.toContain(SECRET);
  expect(out.stderr).not.toContain(SECRET);
}

/** A broken target: every request gets a 500 HTML page that echoes the credential back. */
let brokenServer: Server;
let brokenUrl: string;
beforeAll(async () => {
  brokenServer = createServer((req, res) => {
    req.resume();
    res.writeHead(500, { 'content-type': 'text/html' });
    res.end(`<html><body>Internal error for key ${req.headers['api-key'] ?? req.headers.authorization}</body></html>`);
  });
  await new Promise<void>((r) => brokenServer.listen(0, '127.0.0.1', r));
  brokenUrl = `http://127.0.0.1:${(brokenServer.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => brokenServer.close(() => r())));

describe('aoai-conformance run', () => {
  it('passes every case against the embedded emulator and exits 0', async () => {
    const dir = reportDir();
    const out = await cli(['run', '--report-dir', dir]);
    expect(out.code, out.stderr + out.stdout).toBe(0);
    for (const f of ['results.json', 'junit.xml', 'report.html']) expect(existsSync(join(dir, f)), f).toBe(true);
    const r = readResults(dir);
    expect(r.summary.run).toBeGreaterThanOrEqual(15);
    expect(r.summary.failed + r.summary.errors + r.summary.warnings).toBe(0);
    expect(r.summary.passed).toBe(r.summary.run);
    expect(r.summary.planned).toBe(r.summary.run + r.summary.skipped);
    expect(r.verdict.exitCode).toBe(0);
    expect(out.stdout).toContain(`passed ${r.summary.passed}`);
    expectNoSecret(dir, out);
  });

  it('exits 1 when an emulator fault breaks a MUST requirement, and names it', async () => {
    const dir = reportDir();
    const out = await cli(['run', '--fault', 'usage-total-wrong', '--report-dir', dir]);
    expect(out.code).toBe(1);
    const r = readResults(dir);
    const failed = r.cases.flatMap((c) => c.checks).filter((k) => k.status === 'fail');
    expect(failed.map((k) => k.requirement)).toContain('AOAI-USAGE-TOTAL');
    expect(out.stdout).toContain('AOAI-USAGE-TOTAL');
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('<failure');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('AOAI-USAGE-TOTAL');
  });

  it('passes --variation to the embedded emulator: the legal variation shows in the responses and the run still passes', async () => {
    const dir = reportDir();
    const out = await cli(['run', '--variation', 'unknown-fields', '--only', 'chat-minimal', '--no-allure', '--report-dir', dir]);
    expect(out.code, out.stdout).toBe(0);
    expect(readResults(dir).cases.find((c) => c.id === 'chat-minimal')?.exchange?.response?.bodyText).toContain('x_vendor_extension');
  });

  it('exits 0 with warnings when only SHOULD requirements break', async () => {
    const dir = reportDir();
    const out = await cli(['run', '--fault', 'validation-422', '--report-dir', dir]);
    expect(out.code, out.stdout).toBe(0);
    expect(readResults(dir).summary.warnings).toBeGreaterThan(0);
  });

  it('completes against a server that answers everything with a 500 page, writes all reports, exits 1, and leaks no key it echoes', async () => {
    const dir = reportDir();
    const out = await cli(['run', '--endpoint', brokenUrl, '--deployment', 'gpt-4o-mini', '--report-dir', dir]);
    expect(out.code, out.stderr).toBe(1);
    for (const f of ['results.json', 'junit.xml', 'report.html']) expect(existsSync(join(dir, f)), f).toBe(true);
    const r = readResults(dir);
    expect(r.summary.failed).toBeGreaterThan(0);
    expect(r.cases.find((c) => c.id === 'chat-minimal')?.checks.find((k) => k.check === 'status')?.message).toContain('status 500');
    expectNoSecret(dir, out);
  });

  it('runs the openai profile against the emulator', async () => {
    const dir = reportDir();
    const out = await cli(['run', '--profile', 'openai', '--report-dir', dir], { OPENAI_API_KEY: SECRET });
    expect(out.code, out.stdout).toBe(0);
    const r = readResults(dir);
    expect(r.summary.skipped).toBeGreaterThan(0);
    expect(r.cases.filter((c) => c.status === 'skipped').every((c) => c.skipReason)).toBe(true);
    expectNoSecret(dir, out);
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [['run', '--api-key', 'abc']],
    [['run', '--profile', 'nope']],
    [['run', '--endpoint', 'http://127.0.0.1:9', '--report-dir', '/tmp/unused']],
    [['run', '--fault', 'no-such-fault']],
    [['run', '--variation', 'no-such-variation']],
    [['run', '--endpoint', 'http://127.0.0.1:9', '--deployment', 'x', '--variation', 'unknown-fields']],
    [['run', '--concurrency', '0']],
    [['run', '--shard', '3/2']],
    [['run', '--only', 'chat-minimal', '--report-dir', `${process.execPath}/not-a-dir`]],
    [['run', '--only', 'no-such-case']],
    [['run', '--compare', '/nonexistent/results.json']],
    [['run', '--baseline', '/nonexistent/baseline.yaml']],
    [['merge']],
    [['merge', '/nonexistent/dir']],
    [['report', 'pdf']],
    [['report', 'allure', '--report-dir', '/nonexistent/dir']],
    [['list', 'cases', '--shard', 'x']],
    [['frobnicate']],
  ])('%j', async (args) => {
    const out = await cli(args);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/aoai-conformance: /);
  });

  it('refuses an external endpoint when the key variable is empty', async () => {
    const out = await cli(['run', '--endpoint', brokenUrl, '--deployment', 'x'], { AZURE_OPENAI_API_KEY: '' });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('AZURE_OPENAI_API_KEY');
  });
});

describe('aoai-conformance list', () => {
  it('lists faults, variations, requirements and cases', async () => {
    for (const what of ['faults', 'variations', 'requirements', 'cases']) {
      const out = await cli(['list', what]);
      expect(out.code).toBe(0);
      expect(out.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(10);
    }
  });

  it('filters cases by operation and level, and previews a shard', async () => {
    const ids = (text: string) => text.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0]);
    const all = ids((await cli(['list', 'cases', '--operation', 'chat.completions'])).stdout);
    const must = (await cli(['list', 'cases', '--operation', 'chat.completions', '--level', 'MUST'])).stdout.split('\n').filter(Boolean);
    expect(must.length).toBeGreaterThan(0);
    expect(must.length).toBeLessThanOrEqual(all.length);
    expect(must.every((l) => /\sMUST\s/.test(l))).toBe(true);
    const parts = await Promise.all([1, 2].map(async (i) => ids((await cli(['list', 'cases', '--operation', 'chat.completions', '--shard', `${i}/2`])).stdout)));
    expect([...parts[0], ...parts[1]].sort()).toEqual([...all].sort());
    expect(parts[0].filter((id) => parts[1].includes(id))).toEqual([]);
  });
});
