/**
 * The full suite's wall time against the emulator, next to its floor: the same requests sent by a bare
 * undici loop (no checks, no schema validation, no reporting) at the same concurrency.
 * Also the end-to-end CLI time (vitest start-up and report writing included), for reference.
 * Prints figures; asserts nothing.  Usage: node bin/run-ts.js bench/suite-vs-floor.ts [concurrency=4] [rounds=3]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { DEFAULT_DEPLOYMENTS, startEmulator } from '../emulator/server.ts';
import { loadCases, loadRequirements } from '../src/cases/load.ts';
import { notApplicable, runCase } from '../src/engine/run-case.ts';
import { buildRequest } from '../src/engine/request.ts';
import { PROFILES, type CaseSpec } from '../src/model.ts';
import { targetFor, type Target } from '../src/target.ts';

const concurrency = Number(process.argv[2] ?? 4);
const rounds = Number(process.argv[3] ?? 3);
const KEY = 'bench-key-0123456789abcdef';

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const requirements = loadRequirements();
const cases = loadCases(undefined, requirements);
const emu = await startEmulator({ key: KEY });
const work: Array<{ spec: CaseSpec; target: Target }> = [];
for (const profile of PROFILES) {
  const target = targetFor({ profile, endpoint: emu.url, deployment: DEFAULT_DEPLOYMENTS[0], emulator: true });
  for (const spec of cases) if (!notApplicable(spec, target)) work.push({ spec, target });
}

async function engineRun(): Promise<number> {
  const t0 = performance.now();
  await pool(work, concurrency, ({ spec, target }) => runCase(spec, { target, apiKey: KEY, requirements, repeat: 1 }));
  return performance.now() - t0;
}

async function bareLoop(): Promise<number> {
  const built = work.map(({ spec, target }) => buildRequest(spec, target, KEY));
  const t0 = performance.now();
  await pool(built, concurrency, async (b) => {
    const res = await request(b.url, { method: 'POST', headers: b.headers, body: b.body() });
    await res.body.text();
  });
  return performance.now() - t0;
}

await engineRun(); // warm-up: schema compilation, connection pool
const engine: number[] = [];
const floor: number[] = [];
for (let i = 0; i < rounds; i++) {
  floor.push(await bareLoop());
  engine.push(await engineRun());
}
await emu.close();

const cliTimes: number[] = [];
for (let i = 0; i < rounds; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'aoai-bench-'));
  const t0 = performance.now();
  spawnSync(process.execPath, ['bin/aoai-conformance.js', 'run', '--report-dir', dir, '--concurrency', String(concurrency)], { stdio: 'ignore' });
  cliTimes.push(performance.now() - t0);
}

const e = median(engine);
const f = median(floor);
console.log(`suite vs floor — ${work.length} case runs over ${PROFILES.length} profiles against the emulator, concurrency ${concurrency}, median of ${rounds}`);
console.log(`  bare undici loop (floor)       ${f.toFixed(0).padStart(7)} ms`);
console.log(`  engine: every case, all checks ${e.toFixed(0).padStart(7)} ms   (${(e / f).toFixed(2)}× the floor)`);
console.log(`  CLI end to end, azure-openai   ${median(cliTimes).toFixed(0).padStart(7)} ms   (vitest start-up, one profile's cases, report writing)`);
