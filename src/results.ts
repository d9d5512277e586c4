/** The result model every reporter reads, its summary, and the exit code a CI can trust. */
import type { CaseResult, Level, ProfileName, Status } from './model.ts';

/** Bump on any incompatible change to results.json; documented in docs/results-json.md. */
export const RESULTS_SCHEMA_VERSION = 1;

export interface Summary {
  planned: number;
  run: number;
  passed: number;
  failed: number;
  warnings: number;
  skipped: number;
  errors: number;
  checks: Record<Status, number>;
  /** Failed checks per level (only MUST checks can fail; SHOULD/MAY breaches are warnings). */
  mustFailures: number;
}

export interface RunResults {
  schemaVersion: number;
  tool: { name: string; version: string };
  startedAt: string;
  finishedAt: string;
  target: {
    profile: ProfileName;
    /** The endpoint with any credential-looking query or userinfo removed. */
    endpoint: string;
    deployments: Record<string, string>;
    emulator: boolean;
    faults: string[];
  };
  summary: Summary;
  verdict: { conformant: boolean; exitCode: 0 | 1 | 2; reason: string };
  /** Problems that prevented part of the run (a suite that crashed, cases that never finished). */
  runErrors: string[];
  cases: CaseResult[];
}

export const EXIT_OK = 0;
export const EXIT_NONCONFORMANT = 1;
export const EXIT_INCOMPLETE = 2;

export function summarise(cases: CaseResult[], planned: number): Summary {
  const count = (s: Status) => cases.filter((c) => c.status === s).length;
  const checks: Record<Status, number> = { pass: 0, fail: 0, warning: 0, skipped: 0, error: 0 };
  for (const c of cases) for (const k of c.checks) checks[k.status]++;
  const skipped = count('skipped');
  return {
    planned,
    run: cases.length - skipped,
    passed: count('pass'),
    failed: count('fail'),
    warnings: count('warning'),
    skipped,
    errors: count('error'),
    checks,
    mustFailures: cases.reduce((n, c) => n + c.checks.filter((k) => k.status === 'fail' && k.level === 'MUST').length, 0),
  };
}

export function verdictOf(summary: Summary, runErrors: string[]): RunResults['verdict'] {
  if (summary.failed > 0) {
    return { conformant: false, exitCode: EXIT_NONCONFORMANT, reason: `${summary.mustFailures} MUST check(s) failed in ${summary.failed} case(s)` };
  }
  const unaccounted = summary.planned - summary.run - summary.skipped;
  if (runErrors.length || summary.errors > 0 || unaccounted !== 0) {
    const parts = [
      summary.errors ? `${summary.errors} case(s) could not be judged` : '',
      unaccounted ? `${unaccounted} planned case(s) did not run` : '',
      ...runErrors,
    ].filter(Boolean);
    return { conformant: false, exitCode: EXIT_INCOMPLETE, reason: `the run is incomplete: ${parts.join('; ')}` };
  }
  if (summary.run === 0) return { conformant: false, exitCode: EXIT_INCOMPLETE, reason: 'no case ran' };
  return { conformant: true, exitCode: EXIT_OK, reason: summary.warnings ? `no MUST requirement failed (${summary.warnings} case(s) with SHOULD/MAY warnings)` : 'every check passed' };
}

export const LEVEL_ORDER: Record<Level, number> = { MUST: 0, SHOULD: 1, MAY: 2 };
