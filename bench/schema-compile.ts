/**
 * Schema compile benchmark: how long a fresh process takes to load every schema under schemas/ and compile all of
 * them with AJV (strict mode), i.e. the one-off cost each conformance-run worker pays.
 *
 *   node bin/run-ts.js bench/schema-compile.ts [--runs N]
 *
 * Each run spawns a fresh `node --import tsx` child (cold module cache, cold AJV) that times, with performance.now(),
 * (1) `new SchemaRegistry()` — reading and adding the schemas — and (2) `compileAll()`, and reports the figures as a
 * JSON line. The parent prints every run and the median. Prints figures only; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CHILD_FLAG = '--child';
const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

interface ChildFigures {
  schemas: number;
  loadMs: number;
  compileMs: number;
  totalMs: number;
}

async function child(): Promise<void> {
  const t0 = performance.now();
  const { SchemaRegistry } = await import('../src/schemas/registry.ts');
  const tImported = performance.now();
  const registry = new SchemaRegistry();
  const tLoaded = performance.now();
  registry.compileAll();
  const tCompiled = performance.now();
  const figures: ChildFigures & { importMs: number } = {
    schemas: registry.all().length,
    importMs: tImported - t0,
    loadMs: tLoaded - tImported,
    compileMs: tCompiled - tLoaded,
    totalMs: tCompiled - tImported,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function parent(): void {
  const i = process.argv.indexOf('--runs');
  const runs = i > 0 ? Math.max(1, Number(process.argv[i + 1]) || 1) : 3;
  const self = fileURLToPath(import.meta.url);
  const results: (ChildFigures & { importMs: number })[] = [];
  console.log(`schema compile benchmark — ${runs} fresh process(es), node ${process.version}`);
  for (let run = 1; run <= runs; run++) {
    const started = performance.now();
    const proc = spawnSync(process.execPath, ['--import', 'tsx', self, CHILD_FLAG], { cwd: REPO_ROOT, encoding: 'utf8' });
    const wallMs = performance.now() - started;
    if (proc.status !== 0) {
      console.error(`run ${run}: child exited with ${proc.status}\n${proc.stderr}`);
      process.exitCode = 1;
      return;
    }
    const line = proc.stdout.trim().split('\n').pop() ?? '';
    const figures = JSON.parse(line) as ChildFigures & { importMs: number };
    results.push(figures);
    console.log(
      `run ${run}: ${figures.schemas} schemas — load ${figures.loadMs.toFixed(1)} ms, compileAll ${figures.compileMs.toFixed(1)} ms, ` +
        `load+compile ${figures.totalMs.toFixed(1)} ms (registry import ${figures.importMs.toFixed(1)} ms; process wall ${wallMs.toFixed(0)} ms)`,
    );
  }
  const n = results[0].schemas;
  const compile = median(results.map((r) => r.compileMs));
  const total = median(results.map((r) => r.totalMs));
  console.log(`median: compileAll ${compile.toFixed(1)} ms for ${n} schemas (${(compile / n).toFixed(2)} ms/schema); load+compile ${total.toFixed(1)} ms`);
}

if (process.argv.includes(CHILD_FLAG)) await child();
else if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) parent();
