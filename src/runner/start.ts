/**
 * Starts the test runner for a plan, in this process: vitest with an inline configuration (no config file
 * to load), the plan handed over with `provide`, and the given reporters. The suite file is the compiled one
 * when the CLI runs compiled, the TypeScript one when it runs from source; the engine's modules are loaded
 * natively by the worker (externalised), not re-transformed.
 */
import { fileURLToPath } from 'node:url';
import type { Reporter } from 'vitest/node';
import { PACKAGE_ROOT } from '../paths.ts';
import { PLAN_KEY, type RunPlan } from './plan.ts';

const SUITE = fileURLToPath(new URL(`./conformance.suite.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url));
const COMPILED = /[\\/]dist[\\/]/;

export interface StartedRun {
  /** Resolves when the run is over (finished or cancelled) and the reporters have been called. */
  done: Promise<void>;
  /** Stops the run: cases in flight are abandoned, the rest are not started; the reporters still run. */
  cancel(): Promise<void>;
}

export async function startRun(plan: RunPlan, reporters: Reporter[]): Promise<StartedRun> {
  const { createVitest } = await import('vitest/node');
  const signalListeners = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const vitest = await createVitest(
    'test',
    {
      root: PACKAGE_ROOT,
      config: false,
      watch: false,
      reporters,
      include: [SUITE.slice(PACKAGE_ROOT.length + 1).split('\\').join('/')],
      exclude: [],
      pool: 'threads',
      maxWorkers: 1,
      isolate: false,
      fileParallelism: false,
      maxConcurrency: plan.concurrency,
      // The engine owns every time limit; vitest's own would only ever say "Test timed out", which no user can act on.
      testTimeout: 0,
      hookTimeout: 0,
      teardownTimeout: 10_000,
      passWithNoTests: true,
      provide: { [PLAN_KEY]: plan },
      server: { deps: { external: [COMPILED] } },
    },
    { logLevel: 'silent', clearScreen: false },
  );
  // The CLI owns Ctrl-C (it finishes the report of what ran); vitest's logger would exit the process at once.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) if (!signalListeners[signal].includes(listener)) process.off(signal, listener);
  }
  let cancelled = false;
  return {
    done: (async () => {
      try {
        await vitest.start([SUITE]);
      } finally {
        await vitest.close();
      }
    })(),
    async cancel() {
      if (cancelled) return;
      cancelled = true;
      await vitest.cancelCurrentRun('keyboard-input');
    },
  };
}
