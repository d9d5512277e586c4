/**
 * The test runner's own thread: vitest is loaded, created and run here, not on the CLI's main thread. So the
 * CLI starts loading vitest (its heaviest start-up work) the moment it knows the command is `run`, while its main
 * thread reads the catalogue, starts the embedded emulator and makes the pre-flight; and during the run the main
 * thread serves the emulator while vitest's bookkeeping happens here. Messages (./thread-protocol.ts): the run's
 * concurrency, then the plan, then perhaps a cancellation (when no plan comes, the thread ends with the process); back go the run's start,
 * each test's outcome as it finishes, and the run's end.
 */
import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';
import { PACKAGE_ROOT } from '../paths.ts';
import { PLAN_KEY } from './plan.ts';
import type { FromRunner, TestOutcome, ToRunner } from './thread-protocol.ts';

const SUITE = fileURLToPath(new URL(`./conformance.suite.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url));
const COMPILED = /[\\/]dist[\\/]/;
const port = parentPort!;
const post = (message: FromRunner) => port.postMessage(message);
// Started now: loading vitest is most of the runner's start-up, and nothing it needs is known yet.
const loading = import('vitest/node');
loading.catch(() => {}); // awaited below, where a failure is reported; unawaited when no run comes

function outcomeOf(test: TestCase): TestOutcome {
  const { conformanceCase, conformance, conformanceHealth } = test.meta();
  const result = test.result();
  return { name: test.name, conformanceCase, conformance, conformanceHealth, state: result.state, errors: result.errors?.map((e) => e.message), durationMs: test.diagnostic()?.duration };
}

/** Tells the CLI what happens, as it happens; keeps nothing itself. */
class PostingReporter implements Reporter {
  private readonly posted = new Set<string>();
  onTestRunStart(): void {
    post({ type: 'start' });
  }
  onTestCaseResult(test: TestCase): void {
    this.posted.add(test.id);
    post({ type: 'case', outcome: outcomeOf(test) });
  }
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    const rest = modules.flatMap((m) => [...m.children.allTests()].filter((t) => !this.posted.has(t.id)).map(outcomeOf));
    const moduleErrors = modules.flatMap((m) => m.errors().map((e) => `${m.relativeModuleId}: ${e.message}`));
    post({ type: 'end', rest, runErrors: [...moduleErrors, ...unhandled.map((e) => `unhandled error: ${e.message}`)] });
  }
}

const messages: ToRunner[] = [];
let wake: (() => void) | undefined;
port.on('message', (m: ToRunner) => {
  messages.push(m);
  wake?.();
});
async function next(): Promise<ToRunner> {
  while (messages.length === 0) await new Promise<void>((resolve) => (wake = resolve));
  return messages.shift()!;
}

async function main(): Promise<void> {
  const first = await next();
  if (first.type !== 'configure') return;
  const { createVitest } = await loading;
  const vitest = await createVitest(
    'test',
    {
      root: PACKAGE_ROOT,
      config: false,
      watch: false,
      reporters: [new PostingReporter()],
      include: [SUITE.slice(PACKAGE_ROOT.length + 1).split('\\').join('/')],
      exclude: [],
      pool: 'threads',
      maxWorkers: 1,
      isolate: false,
      fileParallelism: false,
      maxConcurrency: first.concurrency,
      // The engine owns every time limit; vitest's own would only ever say "Test timed out", which no user can act on.
      testTimeout: 0,
      hookTimeout: 0,
      teardownTimeout: 10_000,
      passWithNoTests: true,
      server: { deps: { external: [COMPILED] } },
    },
    { logLevel: 'silent', clearScreen: false },
  );
  try {
    const second = await next();
    if (second.type !== 'run') return;
    vitest.provide(PLAN_KEY, second.plan);
    const running = vitest.start([SUITE]);
    void next().then(async (m) => {
      if (m.type === 'cancel') await vitest.cancelCurrentRun('keyboard-input');
    });
    await running;
  } finally {
    await vitest.close();
  }
}

main().then(
  () => post({ type: 'closed' }),
  (err: unknown) => post({ type: 'closed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
);
