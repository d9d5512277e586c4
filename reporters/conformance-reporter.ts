/**
 * The vitest reporter that turns a conformance run into results.json, junit.xml and report.html.
 * It reads each test's metadata: the engine's CaseResult when the case ran, or the case's static
 * metadata when it never produced one (it crashed or timed out: recorded as an error, never dropped).
 */
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';
import type { CaseResult } from '../src/model.ts';
import { type RunResults, RESULTS_SCHEMA_VERSION, summarise, verdictOf } from '../src/results.ts';
import type { CaseMeta } from '../src/suite.ts';
import type { Target } from '../src/target.ts';
import { Redactor } from '../src/redact.ts';
import { writeReports } from './write.ts';

export interface ConformanceReporterOptions {
  reportDir: string;
  target: Target;
  /** Cases selected for the run (applicable or not); the run must account for each. */
  planned: number;
  version: string;
  secrets: string[];
}

export class ConformanceReporter implements Reporter {
  results: RunResults | undefined;
  private startedAt = new Date();

  constructor(private readonly opts: ConformanceReporterOptions) {}

  onTestRunStart(): void {
    this.startedAt = new Date();
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): Promise<void> {
    const redactor = new Redactor(this.opts.secrets);
    const cases: CaseResult[] = [];
    const runErrors: string[] = [];
    for (const module of testModules) {
      for (const e of module.errors()) runErrors.push(`${module.relativeModuleId}: ${e.message}`);
      for (const test of module.children.allTests()) {
        const result = caseResultOf(test, this.opts.target);
        if (result) cases.push(result);
      }
    }
    for (const e of unhandledErrors) runErrors.push(`unhandled error: ${e.message}`);
    this.results = buildResults({ ...this.opts, startedAt: this.startedAt, cases, runErrors: runErrors.map((e) => redactor.text(e)) });
    await writeReports(this.results, this.opts.reportDir);
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
    ...spec,
    profile: target.profile,
    requirements: [spec.requirement],
    status: 'error',
    checks: [],
    durationMs: test.diagnostic()?.duration ?? 0,
    runError: state === 'pending' ? 'the case never finished' : `the case did not produce a result (${errors ?? state})`,
  };
}

export function buildResults(input: ConformanceReporterOptions & { startedAt: Date; cases: CaseResult[]; runErrors: string[] }): RunResults {
  const cases = [...input.cases].sort((a, b) => a.operation.localeCompare(b.operation) || a.id.localeCompare(b.id));
  const summary = summarise(cases, input.planned);
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'aoai-conformance', version: input.version },
    startedAt: input.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    target: {
      profile: input.target.profile,
      endpoint: safeEndpoint(input.target.endpoint),
      deployments: Object.fromEntries(Object.entries(input.target.deployments).filter(([, v]) => v !== undefined)) as Record<string, string>,
      emulator: input.target.emulator,
      faults: input.target.faults,
    },
    summary,
    verdict: verdictOf(summary, input.runErrors),
    runErrors: input.runErrors,
    cases,
  };
}

/** Drops userinfo and query from an endpoint URL: either could hold a credential. */
export function safeEndpoint(endpoint: string): string {
  try {
    const u = new URL(endpoint);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}
