/**
 * The whole `aoai-conformance run --emulator` process (start-up, pre-flight, the vitest run, report writing)
 * next to its floor: a bare node process that starts the same emulator, sends the same requests with undici
 * and exits (bench/floor-process.mjs); the start-up of `--version` and `list cases`; and the sizes of the
 * reports of a full failing run (many emulator faults on). Prints figures; asserts nothing.
 * Usage: node bin/run-ts.js bench/process-vs-floor.ts [rounds=3]   (runs the compiled CLI: `npm run build` first)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** Wall time of one process, from spawn to exit, in ms. */
function timed(args: string[]): { ms: number; status: number | null } {
  const t0 = performance.now();
  const out = spawnSync(process.execPath, args, { stdio: 'ignore', env });
  return { ms: performance.now() - t0, status: out.status };
}

function medianOf(args: string[]): number {
  timed(args); // warm-up: the file system cache
  return median(Array.from({ length: rounds }, () => timed(args).ms));
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
  const run = median(Array.from({ length: rounds }, () => timed(runArgs).ms));

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

  // A full failing run: every fault that breaks a response outright (not the ones that stall, which only wait).
  const faults = FAULTS.filter((f) => !/hang|stall|slow|delay|timeout/.test(f.id)).map((f) => f.id);
  const failDir = join(work, 'failing');
  const failing = timed([CLI, 'run', '--emulator', '--report-dir', failDir, ...faults.flatMap((f) => ['--fault', f])]);
  const failed = JSON.parse(readFileSync(join(failDir, 'results.json'), 'utf8')) as RunResults;
  const largest = failed.cases.map((c) => ({ id: c.id, size: Buffer.byteLength(JSON.stringify(c)) })).sort((a, b) => b.size - a.size)[0];

  const ms = (x: number) => `${x.toFixed(0).padStart(7)} ms`;
  console.log(`process vs floor — median of ${rounds}, ${requests.length} requests (${ran.size} cases that ran, azure-openai), concurrency ${DEFAULT_CONCURRENCY}`);
  console.log(`  node -e 0                            ${ms(nodeAlone)}`);
  console.log(`  aoai-conformance --version           ${ms(version)}   (target < 500 ms)`);
  console.log(`  aoai-conformance list cases          ${ms(list)}   (target < 500 ms)`);
  console.log(`  bare node + emulator + undici (floor) ${ms(floor)}`);
  console.log(`  aoai-conformance run --emulator      ${ms(run)}   ${(run / floor).toFixed(2)}× the floor (target ≤ 2×)`);
  console.log(`failing run — ${faults.length} faults on, exit ${failing.status}, ${failed.summary.failed} cases failed, ${ms(failing.ms)}`);
  console.log(`  results.json                         ${kb(statSync(join(failDir, 'results.json')).size)}`);
  console.log(`  report.html                          ${kb(statSync(join(failDir, 'report.html')).size)}`);
  console.log(`  largest case entry (${largest.id})  ${kb(largest.size)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
