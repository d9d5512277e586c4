/** From what a run collected (case results, the target's health) to the complete RunResults every reporter reads. */
import type { Baseline } from '../results/baseline.ts';
import { computeCoverage } from '../results/coverage.ts';
import { OFFICIAL_CLIENT_REQUIREMENT } from '../judges/index.ts';
import type { CaseResult, CaseSpec, Requirement } from '../model.ts';
import type { RunHealthReport, RunResults, Shard } from '../results/model.ts';
import type { Filters } from '../selection.ts';
import type { Target } from '../target.ts';
import { finishResults, reportCase, requirementRefs, targetOf } from '../results/build.ts';
import type { RunHealth } from './meta.ts';

export interface AssembleInput {
  version: string;
  target: Target;
  filters: Filters;
  shard?: Shard;
  planned: CaseSpec[];
  requirements: Map<string, Requirement>;
  cases: CaseResult[];
  runErrors: string[];
  startedAt: Date;
  finishedAt: Date;
  health?: RunHealth;
  preflight?: RunHealthReport['preflight'];
  interrupted?: boolean;
  secrets: string[];
  baseline?: Baseline;
  previous?: RunResults;
}

export function assembleResults(input: AssembleInput): RunResults {
  const specs = new Map(input.planned.map((s) => [s.id, s]));
  const reported = input.cases.map((c) => reportCase(c, input.target, specs.get(c.id)));
  const ran = reported.filter((c) => c.status !== 'skipped').map((c) => specs.get(c.id)).filter((s): s is CaseSpec => s !== undefined);
  const curlOf = new Map(reported.map((c) => [c.id, c.reproduce?.curl]));
  const health: RunHealthReport = {
    ...(input.preflight ? { preflight: input.preflight } : {}),
    incidents: (input.health?.incidents ?? []).map((i) => ({ ...i, ...(i.culprit && curlOf.get(i.culprit) ? { curl: curlOf.get(i.culprit) } : {}) })),
    ...(input.health?.stoppedEarly ? { stoppedEarly: input.health.stoppedEarly } : {}),
    ...(input.interrupted || input.health?.interrupted ? { interrupted: true } : {}),
  };
  return finishResults(
    {
      tool: { name: 'aoai-conformance', version: input.version },
      startedAt: input.startedAt.toISOString(),
      finishedAt: input.finishedAt.toISOString(),
      durationMs: input.finishedAt.getTime() - input.startedAt.getTime(),
      target: targetOf(input.target),
      selection: { filters: input.filters, ...(input.shard ? { shard: input.shard } : {}), planned: input.planned.map((s) => s.id).sort() },
      runErrors: input.runErrors,
      health,
      requirements: requirementRefs(reported, input.requirements, input.target.profile),
      coverage: computeCoverage(ran, input.requirements, input.target.profile, input.target.sdkJudge ? [OFFICIAL_CLIENT_REQUIREMENT] : []),
      cases: reported,
    },
    { baseline: input.baseline, previous: input.previous, secrets: input.secrets },
  );
}
