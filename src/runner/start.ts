/**
 * Starts the test runner's thread (./thread.ts) and runs a plan in it. `prepareRunnerFor` is called as soon as the
 * command is known to be `run` (by bin/aoai-conformance.js, before the CLI itself loads), so that vitest loads while
 * this thread prepares the run; `configureRunner` once the command line is read; `startRun` once the plan is made.
 * A run that never comes needs nothing: the thread does not keep the process alive, and ends with it.
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

function spawnRunner(): Worker {
  // From the sources (a clone whose build is stale), the thread loads TypeScript as this one does: through tsx.
  const url = new URL(SOURCE ? './thread-source.mjs' : './thread.js', import.meta.url);
  // The environment is shared: the embedded emulator's key, set later on this thread, is read by the tests.
  return new Worker(url, { env: SHARE_ENV });
}

/** A runner's thread as this thread drives it: configured, given one plan, perhaps cancelled. */
export class RunnerThread {
  /** Why the thread ended before a run was started in it, if it did. */
  private earlyEnd: string | undefined;

  constructor(private readonly worker: Worker) {
    // Until a run is started, the thread neither keeps the process alive nor, by failing, ends it: the run reports it.
    worker.unref();
    worker.on('error', (err) => (this.earlyEnd ??= `the test runner failed: ${err.stack ?? err.message}`));
    worker.on('exit', (code) => (this.earlyEnd ??= `the test runner's thread ended (exit code ${code}) before the run started`));
  }

  private configured = false;

  configure(concurrency: number): void {
    this.configured = true;
    this.send({ type: 'configure', concurrency });
  }

  private send(message: ToRunner): void {
    this.worker.postMessage(message);
  }

  run(plan: RunPlan, listener: RunListener): StartedRun {
    const { worker } = this;
    if (!this.configured) this.configure(plan.concurrency);
    this.send({ type: 'run', plan });
    worker.ref();
    const done = new Promise<void>((resolve) => {
      let rest: TestOutcome[] = [];
      const runErrors: string[] = [];
      const finish = (problem?: string) => {
        worker.removeAllListeners();
        void worker.terminate();
        listener.onEnd(rest, problem ? [...runErrors, problem] : runErrors);
        resolve();
      };
      // A thread that is gone (threadId -1) before its failure could be heard ended all the same.
      if (this.earlyEnd || worker.threadId === -1) return finish(this.earlyEnd ?? "the test runner's thread ended before the run started");
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
      // A thread that failed still exits, and its messages are all delivered before its exit is: the run ends there.
      let failure: string | undefined;
      worker.on('error', (err) => (failure ??= `the test runner failed: ${err.stack ?? err.message}`));
      worker.on('exit', (code) => finish(failure ?? `the test runner's thread ended (exit code ${code}) before the run did`));
    });
    return { done, cancel: () => this.send({ type: 'cancel' }) };
  }
}

let prepared: RunnerThread | undefined;

/** Starts the runner's thread, if it is not started yet. */
export function prepareRunner(): RunnerThread {
  return (prepared ??= new RunnerThread(spawnRunner()));
}

/** For a command line that runs the suite (`run`, not its help), starts the runner's thread now (bin/aoai-conformance.js). */
export function prepareRunnerFor(argv: string[]): void {
  const [command, ...rest] = argv;
  if (command === 'run' && !rest.includes('--help') && !rest.includes('-h')) prepareRunner();
}

/** The settings vitest is created with. */
export function configureRunner(concurrency: number): void {
  prepareRunner().configure(concurrency);
}

/** Runs the plan in the prepared thread (which it then is no longer: the next run gets a thread of its own). */
export function startRun(plan: RunPlan, listener: RunListener): StartedRun {
  const runner = prepareRunner();
  prepared = undefined;
  return runner.run(plan, listener);
}
