/**
 * What the CLI collects from a run, told by the runner's thread (./start.ts): each test's CaseResult from its
 * metadata (or, for a case that produced none, why), and the run's health from the latest snapshot; then hands
 * them to the results model. It draws the progress line while the run goes; it writes nothing itself.
 */
import type { CaseResult, CaseSpec } from '../model.ts';
import type { Target } from '../target.ts';
import { Progress } from '../../reporters/progress.ts';
import type { CaseMeta, RunHealth } from './meta.ts';
import type { RunListener } from './start.ts';
import type { TestOutcome } from './thread-protocol.ts';

export interface Collected {
  cases: CaseResult[];
  health?: RunHealth;
  runErrors: string[];
  startedAt: Date;
  finishedAt: Date;
}

export class Collector implements RunListener {
  collected: Collected | undefined;
  private startedAt = new Date();
  private readonly progress: Progress | undefined;
  private readonly cases = new Map<string, CaseResult>();
  private health: RunHealth | undefined;

  constructor(
    private readonly target: Target,
    private readonly planned: CaseSpec[],
    /** Why a planned case that produced no result did not (the run was interrupted, stopped early…). */
    private readonly missingReason: () => string,
    progress: NodeJS.WriteStream | null = process.stderr,
  ) {
    this.progress = progress ? new Progress(progress, planned.length) : undefined;
  }

  onStart(): void {
    this.startedAt = new Date();
    this.progress?.start();
  }

  onCase(test: TestOutcome): void {
    const result = this.resultOf(test);
    if (result) this.cases.set(result.id, result);
    const snapshot = test.conformanceHealth;
    if (snapshot && snapshot.seq > (this.health?.seq ?? 0)) this.health = snapshot;
    if (test.state !== 'pending') this.progress?.done(result?.id ?? test.name, result?.status ?? 'skipped');
  }

  onEnd(rest: TestOutcome[], runErrors: string[]): void {
    for (const test of rest) this.onCase(test);
    this.progress?.finish();
    for (const spec of this.planned) if (!this.cases.has(spec.id)) this.cases.set(spec.id, notRun(spec, this.target, this.missingReason()));
    this.collected = { cases: [...this.cases.values()], health: this.health, runErrors, startedAt: this.startedAt, finishedAt: new Date() };
  }

  private resultOf(test: TestOutcome): CaseResult | undefined {
    if (test.conformance) return test.conformance;
    const spec = test.conformanceCase;
    if (!spec) return undefined;
    if (test.state === 'pending' || test.state === 'skipped') return notRun(spec, this.target, this.missingReason());
    // A test that threw before the engine returned: a bug of the suite, never a verdict on the target.
    return { ...notRun(spec, this.target, ''), notJudged: undefined, runError: `the suite itself failed on this case: ${test.errors?.join('; ') ?? test.state}`, durationMs: test.durationMs ?? 0 };
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
