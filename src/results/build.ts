/**
 * From case results to a complete RunResults: annotate each case (matrix category per check, curl
 * reproduction), account for every planned case, cite the requirements, then summarise and judge with
 * the baseline and the comparison. Used by the vitest reporter and by `merge`.
 */
import type { Baseline } from './baseline.ts';
import { applyBaseline } from './baseline.ts';
import { compareRuns } from './compare.ts';
import type { Coverage } from './coverage.ts';
import type { CaseResult, CaseSpec, ProfileName, Requirement } from '../model.ts';
import { requirementFor } from '../requirements.ts';
import { Redactor } from '../redact.ts';
import { type BaselineReport, type RequirementRef, type ReportedCase, type RunResults, RESULTS_SCHEMA_VERSION, summarise, verdictOf } from './model.ts';
import { groupFindings } from './findings.ts';
import type { Target } from '../target.ts';
import { categoryOf } from './categories.ts';
import { curlFor, type CurlTarget } from './curl.ts';
import { safeEndpoint } from './endpoint.ts';

export { safeEndpoint };

/** Adds what reports need to an engine CaseResult. Idempotent on an already reported case. */
export function reportCase(c: CaseResult | ReportedCase, target: CurlTarget | string, spec?: CaseSpec): ReportedCase {
  const checks = c.checks.map((k) => ({ ...k, category: 'category' in k ? k.category : categoryOf(k.check, k.check === 'transport' ? c.requirement : k.requirement) }));
  const reported: ReportedCase = { ...c, checks };
  if (c.exchange && !('reproduce' in c && c.reproduce)) {
    const fixtures = Object.fromEntries(Object.entries(spec?.request.multipart?.files ?? {}).map(([name, f]) => [name, f.fixture]));
    reported.reproduce = { curl: curlFor({ request: c.exchange.request, target, auth: spec?.request.auth, fixtures }) };
  }
  return reported;
}

/** The requirements the cases name, each with the source that applies to the run's profile (without one: the first source). */
export function requirementRefs(cases: ReportedCase[], catalogue: Map<string, Requirement>, profile?: ProfileName): Record<string, RequirementRef> {
  const ids = new Set(cases.flatMap((c) => [c.requirement, ...c.requirements, ...c.checks.map((k) => k.requirement)]));
  const out: Record<string, RequirementRef> = {};
  for (const id of [...ids].sort()) {
    const catalogued = catalogue.get(id);
    const r = catalogued && (profile ? requirementFor(catalogued, profile) : catalogued);
    if (r) out[id] = { level: r.level, statement: r.statement, source: r.source, section: r.section, ...(r.rationale ? { rationale: r.rationale } : {}) };
  }
  return out;
}

export function targetOf(target: Target): RunResults['target'] {
  return {
    profile: target.profile,
    endpoint: safeEndpoint(target.endpoint),
    apiKeyEnv: target.apiKeyEnv,
    deployments: Object.fromEntries(Object.entries(target.deployments).filter(([, v]) => v !== undefined)) as Record<string, string>,
    emulator: target.emulator,
    faults: target.faults,
    disabledFeatures: target.disabledFeatures ?? [],
    ...(target.auth ? { auth: target.auth } : {}),
    ...(target.headers?.length ? { headers: target.headers.map((h) => ({ name: h.name, ...(h.env !== undefined ? { env: h.env } : {}) })) } : {}),
    ...(target.sdkJudge ? { sdkJudge: true } : {}),
  };
}

export type ResultsDraft = Omit<RunResults, 'schemaVersion' | 'summary' | 'verdict' | 'baseline' | 'comparison' | 'findings'>;

export interface FinishOptions {
  baseline?: Baseline;
  /** An already computed baseline outcome (merged shards), used when `baseline` is not given. */
  baselineReport?: BaselineReport;
  previous?: RunResults;
  /** Every known secret value: a last pass over the text fields no other layer redacted. */
  secrets?: string[];
  /** YYYY-MM-DD for baseline expiry (default: today, UTC). */
  today?: string;
}

export function finishResults(draft: ResultsDraft, opts: FinishOptions = {}): RunResults {
  const redactor = new Redactor(opts.secrets ?? []);
  const cases = [...draft.cases].sort((a, b) => a.operation.localeCompare(b.operation) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const runErrors = draft.runErrors.map((e) => redactor.text(e));
  const baseline = opts.baseline ? applyBaseline(opts.baseline, cases, opts.today) : opts.baselineReport;
  const summary = summarise(cases, draft.selection.planned.length);
  const results: RunResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    ...draft,
    runErrors,
    summary,
    verdict: verdictOf(summary, runErrors, baseline, draft.health),
    ...(baseline ? { baseline } : {}),
    cases,
  };
  if (opts.previous) results.comparison = compareRuns(opts.previous, results);
  // Field order in results.json: the answer first, the evidence last. Findings are grouped from the
  // redacted cases, so no secret can shape a signature.
  const { cases: all, ...head } = redactor.value(results);
  return { ...head, findings: groupFindings(all), cases: all };
}

export type { Coverage };
