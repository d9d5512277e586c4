/**
 * The vitest reporter that turns a conformance run into results.json, junit.xml and report.html.
 * It reads each test's metadata: the engine's CaseResult when the case ran, or the case's static
 * metadata when it never produced one (it crashed or timed out: recorded as an error, never dropped).
 * It also draws the progress line while the run goes.
 */
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';
import type { Baseline } from '../src/baseline.ts';
import { computeCoverage } from '../src/coverage.ts';
import type { CaseResult, CaseSpec, Requirement } from '../src/model.ts';
import type { RunResults, Shard } from '../src/results.ts';
import type { RunConfig } from '../src/run-config.ts';
import type { CaseMeta } from '../src/suite.ts';
import type { Target } from '../src/target.ts';
import { finishResults, missingCase, reportCase, requirementRefs, targetOf } from './build.ts';
import { Progress } from './progress.ts';
import { writeReports } from './write.ts';

export interface ConformanceReporterOptions {
  reportDir: string;
  target: Target;
  filters: RunConfig['filters'];
  shard?: Shard;
  /** Cases selected for the run (applicable or not); the run must account for each. */
  planned: CaseSpec[];
  requirements: Map<string, Requirement>;
  version: string;
  secrets: string[];
  baseline?: Baseline;
  previous?: RunResults;
  /** Where the progress line goes (default: stderr); null for none. */
  progress?: NodeJS.WriteStream | null;
}

export class ConformanceReporter implements Reporter {
  results: RunResults | undefined;
  /** Problems writing report files (the results themselves are still returned). */
  writeProblems: string[] = [];
  private startedAt = new Date();
  private readonly progress: Progress | undefined;

  constructor(private readonly opts: ConformanceReporterOptions) {
    const stream = opts.progress === undefined ? process.stderr : opts.progress;
    this.progress = stream ? new Progress(stream, opts.planned.length) : undefined;
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

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): Promise<void> {
    this.progress?.finish();
    const { target, planned } = this.opts;
    const specs = new Map(planned.map((s) => [s.id, s]));
    const cases = new Map<string, CaseResult>();
    const runErrors: string[] = [];
    for (const module of testModules) {
      for (const e of module.errors()) runErrors.push(`${module.relativeModuleId}: ${e.message}`);
      for (const test of module.children.allTests()) {
        const result = caseResultOf(test, target);
        if (result) cases.set(result.id, result);
      }
    }
    for (const e of unhandledErrors) runErrors.push(`unhandled error: ${e.message}`);
    const reported = [...cases.values()].map((c) => reportCase(c, target.apiKeyEnv, specs.get(c.id)));
    for (const spec of planned) if (!cases.has(spec.id)) reported.push(missingCase(spec, target, 'the case never ran: its suite did not load or the run stopped'));
    const ran = reported.filter((c) => c.status !== 'skipped').map((c) => specs.get(c.id)).filter((s): s is CaseSpec => s !== undefined);
    const finishedAt = new Date();
    this.results = finishResults(
      {
        tool: { name: 'aoai-conformance', version: this.opts.version },
        startedAt: this.startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        durationMs: finishedAt.getTime() - this.startedAt.getTime(),
        target: targetOf(target),
        selection: { filters: this.opts.filters, ...(this.opts.shard ? { shard: this.opts.shard } : {}), planned: planned.map((s) => s.id).sort() },
        runErrors,
        requirements: requirementRefs(reported, this.opts.requirements),
        coverage: computeCoverage(ran, this.opts.requirements, target.profile),
        cases: reported,
      },
      { baseline: this.opts.baseline, previous: this.opts.previous, secrets: this.opts.secrets },
    );
    this.writeProblems = await writeReports(this.results, this.opts.reportDir);
  }
}

function caseResultOf(test: TestCase, target: Target): CaseResult | undefined {
  const meta = test.meta();
  if (meta.conformance) return meta.conformance;
  const spec: CaseMeta | undefined = meta.conformanceCase;
  if (!spec) return undefined;
  const state = test.result().state;
  const errors = test.result().errors?.map((e) => e.message).join('; ');
  return {
    ...missingCase(spec, target, state === 'pending' ? 'the case never finished' : `the case did not produce a result (${errors ?? state})`),
    durationMs: test.diagnostic()?.duration ?? 0,
  };
}
