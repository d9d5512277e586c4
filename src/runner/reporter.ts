/**
 * The vitest reporter of a conformance run: it collects each test's CaseResult from the task metadata (or,
 * for a case that produced none, says why), and the run's health from the suite's metadata, then hands
 * them to the results model. It draws the progress line while the run goes; it writes nothing itself.
 */
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';
import type { CaseResult, CaseSpec } from '../model.ts';
import type { Target } from '../target.ts';
import { Progress } from '../../reporters/progress.ts';
import type { CaseMeta, RunHealth } from './meta.ts';

export interface Collected {
  cases: CaseResult[];
  health?: RunHealth;
  runErrors: string[];
  startedAt: Date;
  finishedAt: Date;
}

export class CollectingReporter implements Reporter {
  collected: Collected | undefined;
  private startedAt = new Date();
  private readonly progress: Progress | undefined;

  constructor(
    private readonly target: Target,
    private readonly planned: CaseSpec[],
    /** Why a planned case that produced no result did not (the run was interrupted, stopped early…). */
    private readonly missingReason: () => string,
    progress: NodeJS.WriteStream | null = process.stderr,
  ) {
    this.progress = progress ? new Progress(progress, planned.length) : undefined;
  }

  onTestRunStart(): void {
    this.startedAt = new Date();
    this.progress?.start();
  }

  onTestCaseResult(test: TestCase): void {
    const result = test.meta().conformance;
    const id = result?.id ?? test.meta().conformanceCase?.id ?? test.name;
    this.progress?.done(id, result?.status ?? (test.result().state === 'failed' ? 'error' : 'skipped'));
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    this.progress?.finish();
    const cases = new Map<string, CaseResult>();
    const runErrors: string[] = [];
    let health: RunHealth | undefined;
    for (const module of testModules) {
      for (const e of module.errors()) runErrors.push(`${module.relativeModuleId}: ${e.message}`);
      for (const test of module.children.allTests()) {
        const snapshot = test.meta().conformanceHealth;
        if (snapshot && snapshot.seq > (health?.seq ?? 0)) health = snapshot;
        const result = this.resultOf(test);
        if (result) cases.set(result.id, result);
      }
    }
    for (const e of unhandledErrors) runErrors.push(`unhandled error: ${e.message}`);
    for (const spec of this.planned) if (!cases.has(spec.id)) cases.set(spec.id, notRun(spec, this.target, this.missingReason()));
    this.collected = { cases: [...cases.values()], health, runErrors, startedAt: this.startedAt, finishedAt: new Date() };
  }

  private resultOf(test: TestCase): CaseResult | undefined {
    const meta = test.meta();
    if (meta.conformance) return meta.conformance;
    const spec = meta.conformanceCase;
    if (!spec) return undefined;
    const state = test.result().state;
    if (state === 'pending' || state === 'skipped') return notRun(spec, this.target, this.missingReason());
    // A test that threw before the engine returned: a bug of the suite, never a verdict on the target.
    const errors = test.result().errors?.map((e) => e.message).join('; ');
    return { ...notRun(spec, this.target, ''), notJudged: undefined, runError: `the suite itself failed on this case: ${errors ?? state}`, durationMs: test.diagnostic()?.duration ?? 0 };
  }
}

/** A planned case that never produced a result: not judged, with the reason. */
export function notRun(spec: CaseMeta, target: Pick<Target, 'profile'>, why: string): CaseResult {
  return {
    id: spec.id,
    title: spec.title,
    file: spec.file,
    operation: spec.operation,
    profile: target.profile,
    requirement: spec.requirement,
    requirements: [spec.requirement],
    level: spec.level,
    seed: spec.seed,
    status: 'error',
    checks: [],
    durationMs: 0,
    notJudged: why,
  };
}
