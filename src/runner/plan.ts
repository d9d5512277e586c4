/**
 * The run as the CLI decided it, handed to the test runner once through vitest's own channel for that
 * (`provide` in the main process, `inject` in the worker): the target (never the credential: the worker reads
 * it from the environment variable the target names), the planned cases, and the run's settings.
 */
import type { CaseSpec, Requirement } from '../model.ts';
import type { Target } from '../target.ts';

export const PLAN_KEY = 'aoaiConformancePlan';

export interface HealthSettings {
  /** How long the run waits for a target that stopped answering before it stops early. */
  recoveryTimeoutMs: number;
  /** This many requests of one kind in a row failing the same way, while the target answers, are one finding. */
  systemicAfter: number;
}

export interface RunPlan {
  target: Target;
  /** The selected cases of this run (and shard), in order: each becomes one test. */
  cases: CaseSpec[];
  /** The catalogue, for levels and the Allure labels. */
  requirements: Requirement[];
  /** Cases the user chose to skip, with the reason. */
  userSkips: Record<string, string>;
  /** Cases in flight at once. */
  concurrency: number;
  /** Runs of each `repeat: true` case. */
  repeat: number;
  /** Request budget for the whole run (undefined: unlimited). */
  maxRequests?: number;
  /** Stop sending new cases once this many have failed (undefined: never). */
  maxFailures?: number;
  health: HealthSettings;
  /** Checks may download URLs the target returns on other hosts (image URLs). */
  followExternalUrls: boolean;
}

declare module 'vitest' {
  interface ProvidedContext {
    [PLAN_KEY]: RunPlan;
  }
}
