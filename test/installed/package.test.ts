/**
 * The installed package: `npm pack`, the tarball installed in an empty project from npm's cache alone (`--offline`:
 * a package missing from the cache is an error, never a download), then every command the README and the terminal
 * name, run there as a user runs them (`npx aoai-conformance …`). Slow by nature: one file, one describe, run in
 * order, with hang guards far above the time it takes.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, tempDir } from '../helpers.ts';
import { writeProject } from '../support/installed.ts';

const REPO = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const MANIFEST = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string; peerDependencies: Record<string, string> };
const KEY = 'installed-package-key-7a3c9e1f5b';

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command in `cwd`, the environment clean of any target or proxy, bounded by a hang guard. */
function sh(command: string, args: string[], cwd: string, env: Record<string, string | undefined> = {}, guardMs = 240_000): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: cleanEnv({ AZURE_OPENAI_API_KEY: KEY, ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const guard = setTimeout(() => child.kill('SIGKILL'), guardMs);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `npx aoai-conformance …` as a user types it; --offline and --no: never a download, never an install. */
const npx = (cwd: string, args: string[], env?: Record<string, string | undefined>) => sh('npx', ['--offline', '--no', '--', 'aoai-conformance', ...args], cwd, env);

/** The compiled build is what the tarball ships: it must be newer than every source. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

let work: string;
let project: string;
let tarball: string;

describe('the package installed from its tarball', { timeout: 600_000 }, () => {
  beforeAll(async () => {
    const built = statSync(join(REPO, 'dist', '.built'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
    const stale = ['src', 'emulator', 'reporters'].filter((d) => newestSource(join(REPO, d)) > built);
    if (stale.length) throw new Error(`dist/ is older than ${stale.join(', ')}: run \`node scripts/build.js\` (npm test does) before this test`);
    work = tempDir('aoai-installed-');
    project = join(work, 'project');
    // --ignore-scripts: packing must not rebuild dist/ under the other tests running now.
    const packed = await sh('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--json'], REPO);
    expect(packed.code, packed.stderr).toBe(0);
    tarball = (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0].filename;
    await sh('mkdir', [project], work);
    await sh('cp', [join(work, tarball), project], work);
    writeProject(project, tarball, REPO);
    const installed = await sh('npm', ['ci', '--offline', '--no-audit', '--no-fund'], project);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stderr).not.toMatch(/EBADENGINE/);
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('answers --version and --help, and ships the README and every doc it links to', async () => {
    const version = await npx(project, ['--version']);
    expect(version.stdout.trim()).toBe(MANIFEST.version);
    const help = await npx(project, ['run', '--help']);
    expect(help.code).toBe(0);
    for (const option of ['--emulator', '--header NAME=VALUE', '--token-env', '--entra', '--no-auth', '--ca-file', '--insecure', '--sdk-judge']) expect(help.stdout).toContain(option);
    const installed = join(project, 'node_modules', 'aoai-conformance');
    const readme = readFileSync(join(installed, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\((docs\/[^)#]+)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(existsSync(join(installed, link)), link).toBe(true);
    expect(existsSync(join(installed, 'src')), 'the sources stay in the repository').toBe(false);
  });

  it('runs the suite against the embedded emulator and writes every report', async () => {
    const out = await npx(project, ['run', '--only', 'chat-minimal', '--only', 'chat-stream-basic', '--only', 'embeddings-array-3', '--report-dir', 'report']);
    expect(out.code, out.stderr).toBe(0);
    for (const file of ['report.html', 'results.json', 'junit.xml', 'allure-results']) expect(existsSync(join(project, 'report', file)), file).toBe(true);
    expect(out.stdout).toContain('npx aoai-conformance report allure --report-dir');
  });

  it('lists the catalogue', async () => {
    for (const what of ['cases', 'requirements', 'checks', 'faults', 'variations']) {
      const out = await npx(project, ['list', what]);
      expect(out.code, `${what}: ${out.stderr}`).toBe(0);
      expect(out.stdout.split('\n').length, what).toBeGreaterThan(5);
    }
  });

  it('starts the emulator standalone, judges it (the official client too) and stops it with Ctrl-C', async () => {
    // The installed command itself (what npx runs), so that Ctrl-C reaches it and not an npx in between.
    const child = spawn(join(project, 'node_modules', '.bin', 'aoai-conformance'), ['emulator', '--port', '0', '--key', KEY], { cwd: project, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const guard = setTimeout(() => child.kill('SIGKILL'), 240_000);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let seen = '';
        child.stdout.on('data', (d) => {
          seen += d;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
          if (m) resolve(m[1]);
        });
        child.on('close', () => reject(new Error(`the emulator exited: ${seen}`)));
      });
      const out = await npx(project, ['run', '--endpoint', url, '--deployment', 'gpt-4o-mini', '--sdk-judge', '--only', 'chat-minimal', '--only', 'completions-stream-basic', '--report-dir', 'against-emulator', '--no-allure']);
      expect(out.code, out.stderr).toBe(0);
      const results = JSON.parse(readFileSync(join(project, 'against-emulator', 'results.json'), 'utf8')) as { cases: Array<{ checks: Array<{ check: string; status: string }> }> };
      expect(results.cases.flatMap((c) => c.checks).filter((k) => k.check === 'official-client').map((k) => k.status)).toEqual(['pass', 'pass']);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    clearTimeout(guard);
  });

  it('merges shards and re-renders a report', async () => {
    for (const shard of ['1/2', '2/2']) {
      const out = await npx(project, ['run', '--operation', 'embeddings', '--shard', shard, '--report-dir', `shard-${shard[0]}`, '--no-allure']);
      expect(out.code, out.stderr).toBe(0);
    }
    const merged = await npx(project, ['merge', 'shard-1', 'shard-2', '--report-dir', 'merged']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(existsSync(join(project, 'merged', 'report.html'))).toBe(true);
    rmSync(join(project, 'merged', 'report.html'));
    const html = await npx(project, ['report', 'html', '--report-dir', 'merged']);
    expect(html.code, html.stderr).toBe(0);
    expect(existsSync(join(project, 'merged', 'report.html'))).toBe(true);
  });

  it('writes a baseline from a failing run, and the same run with it passes', async () => {
    const failing = ['run', '--fault', 'usage-total-wrong', '--only', 'chat-minimal', '--no-allure'];
    const first = await npx(project, [...failing, '--report-dir', 'failing']);
    expect(first.code, first.stderr).toBe(1);
    const written = await npx(project, ['baseline', 'write', '--from', 'failing', '--output', 'baseline.yaml', '--reason', 'known: usage is off by one']);
    expect(written.code, written.stderr).toBe(0);
    const again = await npx(project, [...failing, '--report-dir', 'baselined', '--baseline', 'baseline.yaml']);
    expect(again.code, again.stderr).toBe(0);
  });

  it('says how to get the optional packages --entra and `report allure` need, and `report allure` works once it is there', async () => {
    const entra = await npx(project, ['run', '--endpoint', 'http://127.0.0.1:9', '--deployment', 'd', '--entra', '--only', 'chat-minimal', '--report-dir', 'entra', '--no-allure']);
    expect(entra.code).toBe(2);
    expect(entra.stderr).toContain(`--entra needs the optional package @azure/identity, which is not installed: install it next to aoai-conformance (npm install @azure/identity@${MANIFEST.peerDependencies['@azure/identity']}`);
    const missing = await npx(project, ['report', 'allure', '--report-dir', 'report']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`needs the optional package allure, which is not installed: install it next to aoai-conformance (npm install allure@${MANIFEST.peerDependencies.allure}`);
    // Do as it says (from the cache, like the rest).
    writeProject(project, tarball, REPO, { allure: MANIFEST.peerDependencies.allure });
    const installed = await sh('npm', ['ci', '--offline', '--no-audit', '--no-fund'], project);
    expect(installed.code, installed.stderr).toBe(0);
    await npx(project, ['run', '--only', 'chat-minimal', '--report-dir', 'report']);
    const allure = await npx(project, ['report', 'allure', '--report-dir', 'report']);
    expect(allure.code, allure.stderr).toBe(0);
    const html = readFileSync(join(project, 'report', 'allure-report.html'), 'utf8');
    expect(html.length).toBeGreaterThan(10_000);
    expect(relative(project, join(project, 'report', 'allure-report.html'))).toBe('report/allure-report.html');
  });
});
