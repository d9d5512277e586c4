/**
 * The run stays in one place: the CLI decides the planned cases once and hands them to the test runner with
 * `provide`/`inject` (src/runner/plan.ts); the worker neither loads, selects nor shards cases, no environment
 * variable carries the run, and the reporters read the one results model without reaching into the runner.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.ts';
import { cases as allCases, TEST_KEY, cleanEnv } from '../helpers.ts';

/** Relative modules a file imports, statically or with import(), as paths from the package root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(PACKAGE_ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]);
  return specs.map((s) => relative(PACKAGE_ROOT, resolve(dirname(join(PACKAGE_ROOT, file)), s)).split('\\').join('/'));
}

/** Every module the file loads, directly or through others (the project's own modules only). */
function moduleGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file) || !file.endsWith('.ts')) continue;
    seen.add(file);
    todo.push(...importsOf(file));
  }
  return seen;
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(join(PACKAGE_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f.split('\\').join('/')}`);
}

describe('one run in one place', () => {
  it('the worker takes its cases from the plan: nothing it loads calls the loader, the selection or the shards', () => {
    const worker = moduleGraph('src/runner/conformance.suite.ts');
    expect(worker.has('src/runner/plan.ts')).toBe(true);
    // The engine may import the loader's constants (where the cases live); calling what plans a run is the CLI's alone.
    const planning: Record<string, string[]> = { 'src/cases/load.ts': ['loadCases', 'loadRequirements'], 'src/selection.ts': ['selectCases', 'userSkips'], 'src/results/shard.ts': ['inShard'] };
    const calls = [...worker].flatMap((file) => {
      const text = readFileSync(join(PACKAGE_ROOT, file), 'utf8');
      return Object.entries(planning).flatMap(([home, names]) => (home === file ? [] : names.filter((n) => new RegExp(String.raw`\b${n}\s*\(`).test(text)).map((n) => `${file} calls ${n}`)));
    });
    expect(calls).toEqual([]);
  });

  it('no environment variable carries the run: no source names an AOAI_CONFORMANCE_* variable', () => {
    const named = ['src', 'reporters', 'emulator'].flatMap(sourcesUnder).filter((f) => readFileSync(join(PACKAGE_ROOT, f), 'utf8').includes('AOAI_CONFORMANCE_'));
    expect(named).toEqual([]);
  });

  it('reporters only write: none imports the test-runner glue or the engine', () => {
    const reaching = sourcesUnder('reporters').flatMap((f) => importsOf(f).filter((i) => i.startsWith('src/runner/') || i.startsWith('src/engine/')).map((i) => `${f} → ${i}`));
    expect(reaching).toEqual([]);
  });

  it('the run has exactly the planned cases, however few and unsorted', async () => {
    // Three cases of different operations, last first: no filter or shard yields this, only the plan can.
    const operations = [...new Set(allCases.map((c) => c.operation))];
    const picked = operations.slice(0, 3).map((op) => allCases.filter((c) => c.operation === op).at(-1)!.id).reverse();
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(PACKAGE_ROOT, 'test/reports/plan-run.ts'), ...picked], { env: cleanEnv({ PLAN_RUN_KEY: TEST_KEY }), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
    expect(out.code, out.stderr).toBe(0);
    const run = JSON.parse(out.stdout.trim().split('\n').at(-1)!) as { tests: string[]; collected: Array<{ id: string; notJudged?: string }>; runErrors: string[]; envChannel: string[] };
    expect(run.runErrors).toEqual([]);
    expect([...run.tests].sort()).toEqual([...picked].sort());
    expect(run.collected.map((c) => c.id).sort()).toEqual([...picked].sort());
    expect(run.collected.filter((c) => c.notJudged !== undefined)).toEqual([]);
    expect(run.envChannel).toEqual([]);
  }, 120_000);
});
