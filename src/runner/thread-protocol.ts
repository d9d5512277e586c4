/** What the CLI's main thread and the runner thread (./thread.ts) tell each other. */
import type { RunnerMeta } from './meta.ts';
import type { RunPlan } from './plan.ts';

export type ToRunner =
  /** The run's settings vitest is created with: sent as soon as the command line is read. */
  | { type: 'configure'; concurrency: number }
  /** The plan: the run starts. */
  | { type: 'run'; plan: RunPlan }
  /** Stop the run: cases in flight are abandoned, the rest are not started; the end is still reported. */
  | { type: 'cancel' };

/** One test as vitest saw it finish (or not start). */
export interface TestOutcome extends RunnerMeta {
  name: string;
  state: 'passed' | 'failed' | 'skipped' | 'pending';
  errors?: string[];
  durationMs?: number;
}

export type FromRunner =
  | { type: 'start' }
  | { type: 'case'; outcome: TestOutcome }
  /** The run is over: the tests no `case` message reported, and the errors outside any test. */
  | { type: 'end'; rest: TestOutcome[]; runErrors: string[] }
  /** vitest is closed; `error` if the runner itself failed. */
  | { type: 'closed'; error?: string };
