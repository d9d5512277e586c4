/**
 * Starts the test runner's thread (./thread.ts) and runs a plan in it. `prepareRunnerFor` is called as early as the
 * command is known to be `run` (by bin/aoai-conformance.js, before the CLI itself loads), so vitest loads while this thread prepares the run; `configureRunner` as soon as the
 * command line is read; `startRun` once the plan is made. A run that never comes needs nothing: the thread does not
 * keep the process alive, and ends with it.
 */
import { SHARE_ENV, Worker } from 'node:worker_threads';
import type { RunPlan } from './plan.ts';
import type { FromRunner, TestOutcome, ToRunner } from './thread-protocol.ts';

export interface RunListener {
  onStart(): void;
  onCase(outcome: TestOutcome): void;
  onEnd(rest: TestOutcome[], runErrors: string[]): void;
}

export interface StartedRun {
  /** Resolves when the run is over (finished, cancelled or the runner failed) and the listener has been told. */
  done: Promise<void>;
  /** Stops the run: cases in flight are abandoned, the rest are not started; the end is still reported. */
  cancel(): void;
}

const SOURCE = import.meta.url.endsWith('.ts');
let runner: Worker | undefined;
/** Why the runner's thread ended before a run was started in it, if it did. */
let earlyEnd: string | undefined;

function spawn(): Worker {
  earlyEnd = undefined;
  const url = new URL(`./thread.${SOURCE ? 'ts' : 'js'}`, import.meta.url);
  // From the sources (a clone whose build is stale), the thread loads TypeScript as this one does: through tsx.
  const execArgv = SOURCE ? ['--import', import.meta.resolve('tsx')] : [];
  // The environment is shared: the embedded emulator's key, set later on this thread, is read by the tests.
  const worker = new Worker(url, { env: SHARE_ENV, execArgv });
  worker.unref();
  // A thread that fails before the run starts must not end the process: the run reports it (startRun).
  worker.on('error', (err) => (earlyEnd ??= `the test runner failed: ${err.stack ?? err.message}`));
  worker.on('exit', (code) => (earlyEnd ??= `the test runner's thread ended (exit code ${code}) before the run started`));
  return worker;
}

/** Starts the runner's thread, if it is not started yet. */
export function prepareRunner(): void {
  runner ??= spawn();
}

/** For a command line that runs the suite (`run`, not its help), starts the runner's thread now (bin/aoai-conformance.js). */
export function prepareRunnerFor(argv: string[]): void {
  const [command, ...rest] = argv;
  if (command === 'run' && !rest.includes('--help') && !rest.includes('-h')) prepareRunner();
}

function send(message: ToRunner): void {
  prepareRunner();
  runner!.postMessage(message);
}

/** The settings vitest is created with. */
export function configureRunner(concurrency: number): void {
  send({ type: 'configure', concurrency });
}

export function startRun(plan: RunPlan, listener: RunListener): StartedRun {
  send({ type: 'run', plan });
  const worker = runner!;
  worker.ref();
  const done = new Promise<void>((resolve) => {
    let rest: TestOutcome[] = [];
    const runErrors: string[] = [];
    const finish = (problem?: string) => {
      worker.removeAllListeners();
      void worker.terminate();
      runner = undefined;
      listener.onEnd(rest, problem ? [...runErrors, problem] : runErrors);
      resolve();
    };
    if (earlyEnd) return finish(earlyEnd);
    worker.on('message', (m: FromRunner) => {
      if (m.type === 'start') listener.onStart();
      else if (m.type === 'case') listener.onCase(m.outcome);
      else if (m.type === 'end') {
        rest = m.rest;
        runErrors.push(...m.runErrors);
        // Everything is told: vitest's own teardown is not waited for, the thread ends with its workers.
        finish();
      } else finish(m.error && `the test runner failed: ${m.error}`);
    });
    worker.on('error', (err) => finish(`the test runner failed: ${err.stack ?? err.message}`));
    worker.on('exit', (code) => finish(`the test runner's thread ended (exit code ${code}) before the run did`));
  });
  return { done, cancel: () => worker.postMessage({ type: 'cancel' } satisfies ToRunner) };
}
