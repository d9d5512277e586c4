/**
 * The whole `aoai-conformance run --emulator` process (start-up, pre-flight, the vitest run, report writing)
 * next to its floor: a bare node process that starts the same emulator, sends the same requests with undici
 * and exits (bench/floor-process.mjs); the start-up of `--version` and `list cases`; and the sizes of the
 * reports of a failing run (one emulator fault per case it fails, the pre-flight still passing). Wall and CPU
 * time (user + system, every thread: bench/cpu-usage.cjs) of each process. Prints figures; asserts nothing.
 * Usage: node bin/run-ts.js bench/process-vs-floor.ts [rounds=3]   (runs the compiled CLI: `npm run build` first)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Response } from 'undici';
import { DEFAULT_DEPLOYMENTS } from '../emulator/server.ts';
import { FAULTS } from '../emulator/faults.ts';
import { loadCases } from '../src/cases/load.ts';
import { buildRequest } from '../src/engine/request.ts';
import type { RunResults } from '../src/results/model.ts';
import { DEFAULT_CONCURRENCY, DEFAULT_REPEAT } from '../src/selection.ts';
import { targetFor } from '../src/target.ts';

const rounds = Number(process.argv[2] ?? 3);
const KEY = 'bench-key-0123456789abcdef';
const CLI = 'bin/aoai-conformance.js';
const work = mkdtempSync(join(tmpdir(), 'aoai-bench-'));
const env = { ...process.env, AZURE_OPENAI_API_KEY: KEY, AZURE_OPENAI_ENDPOINT: '', OPENAI_BASE_URL: '' };

if (!existsSync('dist/.built')) console.log('note: no dist/ build — the CLI runs through tsx; `npm run build` first for the shipped figures');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const cpuFile = join(work, 'cpu.txt');
const CPU_HOOK = fileURLToPath(new URL('./cpu-usage.cjs', import.meta.url));

/** Wall time of one process, from spawn to exit, and its CPU time (user + system, all threads), in ms. */
function timed(args: string[]): { ms: number; cpuMs: number; status: number | null } {
  writeFileSync(cpuFile, '');
  const t0 = performance.now();
  const out = spawnSync(process.execPath, ['--require', CPU_HOOK, ...args], { stdio: 'ignore', env: { ...env, AOAI_BENCH_CPU_FILE: cpuFile } });
  const ms = performance.now() - t0;
  return { ms, cpuMs: Number(readFileSync(cpuFile, 'utf8').trim() || NaN), status: out.status };
}

interface Timing {
  ms: number;
  cpuMs: number;
}

function medians(runs: Timing[]): Timing {
  return { ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)) };
}

function medianOf(args: string[]): Timing {
  timed(args); // warm-up: the file system cache
  return medians(Array.from({ length: rounds }, () => timed(args)));
}

/** One fault per case it is proven to fail, none that breaks the transport or only makes the target slow. */
function failingRunFaults(): string[] {
  const failedCases = new Set<string>();
  const chosen: string[] = [];
  for (const fault of FAULTS) {
    if (fault.category === 'transport' || /hang|stall|slow|delay|timeout|endless/.test(fault.id)) continue;
    const fails = fault.proof.flatMap((p) => (p.fails && !p.with ? [p.case] : []));
    if (fails.length === 0 || fails.some((c) => failedCases.has(c))) continue;
    for (const c of fails) failedCases.add(c);
    chosen.push(fault.id);
  }
  return chosen;
}

/** Bytes of a file, or of every file under a directory. */
function sizeOf(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  return st.isDirectory() ? readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0) : st.size;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0).padStart(7)} KiB`;

try {
  const nodeAlone = medianOf(['-e', '0']);
  const version = medianOf([CLI, '--version']);
  const list = medianOf([CLI, 'list', 'cases']);

  const runDir = join(work, 'run');
  const runArgs = [CLI, 'run', '--emulator', '--report-dir', runDir];
  const first = timed(runArgs);
  if (first.status !== 0) throw new Error(`the run against the emulator exited ${first.status}`);
  const run = medians(Array.from({ length: rounds }, () => timed(runArgs)));
  // The share of the Allure results (on by default): the same run without them.
  const noAllure = medians(Array.from({ length: rounds }, () => timed([...runArgs, '--no-allure'])));

  // The floor sends what the run sent: one request per case that ran, times the repeats of model-dependent cases.
  const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as RunResults;
  const ran = new Set(results.cases.filter((c) => c.status !== 'skipped').map((c) => c.id));
  const target = targetFor({ profile: 'azure-openai', endpoint: 'http://127.0.0.1:1', deployment: DEFAULT_DEPLOYMENTS[0], emulator: true });
  const requests: Array<{ method: string; path: string; headers: Record<string, string>; body?: string }> = [];
  for (const spec of loadCases().filter((c) => ran.has(c.id))) {
    const built = buildRequest(spec, target, KEY);
    for (let i = 0; i < (spec.repeat ? DEFAULT_REPEAT : 1); i++) {
      const body = built.body();
      const headers = { ...built.headers };
      let bytes: Buffer | undefined;
      if (typeof body === 'string') bytes = Buffer.from(body);
      else if (body !== undefined) {
        const form = new Response(body);
        headers['content-type'] = form.headers.get('content-type')!;
        bytes = Buffer.from(await form.arrayBuffer());
      }
      const url = new URL(built.url);
      requests.push({ method: 'POST', path: url.pathname + url.search, headers, body: bytes?.toString('base64') });
    }
  }
  const requestsFile = join(work, 'requests.json');
  writeFileSync(requestsFile, JSON.stringify(requests));
  const floorArgs = ['bench/floor-process.mjs', requestsFile, KEY, String(DEFAULT_CONCURRENCY)];
  const floor = medianOf(floorArgs);

  // A full failing run: faults that each fail a case no fault before them fails (by their proofs), leaving out
  // those that break the transport or only wait (a reset or a stall fails the pre-flight, and then no case runs).
  const faults = failingRunFaults();
  const failDir = join(work, 'failing');
  const failing = timed([CLI, 'run', '--emulator', '--report-dir', failDir, ...faults.flatMap((f) => ['--fault', f])]);
  const failed = JSON.parse(readFileSync(join(failDir, 'results.json'), 'utf8')) as RunResults;
  const gate = failed.health?.preflight;
  if (gate && !gate.ok) throw new Error(`the failing run's pre-flight failed: ${gate.message}`);
  const largest = failed.cases.map((c) => ({ id: c.id, size: Buffer.byteLength(JSON.stringify(c)) })).sort((a, b) => b.size - a.size)[0];

  const ms = (x: number) => `${x.toFixed(0).padStart(7)} ms`;
  const both = (t: Timing) => `${ms(t.ms)} wall ${ms(t.cpuMs)} CPU`;
  console.log(`process vs floor — median of ${rounds}, ${requests.length} requests (${ran.size} cases that ran, azure-openai), concurrency ${DEFAULT_CONCURRENCY}`);
  console.log(`  node -e 0                             ${both(nodeAlone)}`);
  console.log(`  aoai-conformance --version            ${both(version)}   (target < 500 ms)`);
  console.log(`  aoai-conformance list cases           ${both(list)}   (target < 500 ms)`);
  console.log(`  bare node + emulator + undici (floor) ${both(floor)}`);
  console.log(`  aoai-conformance run --emulator       ${both(run)}   ${(run.ms / floor.ms).toFixed(2)}× the floor's wall time, ${(run.cpuMs / floor.cpuMs).toFixed(2)}× its CPU time (target ≤ 2×)`);
  console.log(`  aoai-conformance run --emulator --no-allure ${both(noAllure)}   ${(noAllure.ms / floor.ms).toFixed(2)}× the floor's wall time, ${(noAllure.cpuMs / floor.cpuMs).toFixed(2)}× its CPU time`);
  const s = failed.summary;
  console.log(`failing run — ${faults.length} faults on, exit ${failing.status}, ${s.failed} cases failed, ${s.warnings} warned, ${s.errors} not judged, ${s.passed} passed, ${both(failing)}`);
  console.log(`  results.json                         ${kb(sizeOf(join(failDir, 'results.json')))}`);
  console.log(`  report.html                          ${kb(sizeOf(join(failDir, 'report.html')))}`);
  console.log(`  junit.xml                            ${kb(sizeOf(join(failDir, 'junit.xml')))}`);
  const allureDir = join(failDir, 'allure-results');
  console.log(`  allure-results/ (${existsSync(allureDir) ? readdirSync(allureDir).length : 0} files)       ${kb(sizeOf(allureDir))}`);
  console.log(`  largest case entry (${largest.id})  ${kb(largest.size)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
