/**
 * The result model every reporter reads (results.json), its summary, and the exit code a CI can trust.
 * Documented in docs/results-json.md; JSON Schema in src/results/results.schema.json.
 */
import type { TargetAuth } from '../target.ts';
import type { CheckCategory } from '../checks/types.ts';
import type { Coverage } from './coverage.ts';
import type { Finding } from './findings.ts';
import type { CaseResult, CheckResult, Level, OperationId, ProfileName, Status } from '../model.ts';
import { LEVELS } from '../model.ts';

/** Bump on any incompatible change to results.json; documented in docs/results-json.md. */
export const RESULTS_SCHEMA_VERSION = 1;

export type Category = CheckCategory;
export const CATEGORIES: readonly Category[] = ['schema', 'semantics', 'bounds', 'errors', 'auth', 'streaming', 'headers'];

export type StatusCounts = Record<Status, number>;
export const emptyCounts = (): StatusCounts => ({ pass: 0, fail: 0, warning: 0, skipped: 0, error: 0 });

export interface ReportedCheck extends CheckResult {
  /** The report matrix's column (src/results/categories.ts). */
  category: Category;
  /** Set when a baseline entry excuses this failing check: the entry's reason. */
  expectedFailure?: string;
}

export interface ReportedCase extends Omit<CaseResult, 'checks'> {
  checks: ReportedCheck[];
  /** Every failing check of the case is excused by the baseline: it does not fail the run. */
  expectedFailure?: { reasons: string[] };
  /** A shell command that sends the same request again, reading the credential from the environment. */
  reproduce?: { curl: string };
}

/** A requirement as the report cites it. */
export interface RequirementRef {
  level: Level;
  statement: string;
  source: string;
  section: string;
  rationale?: string;
}

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export interface LevelSummary {
  /** Checks of this level by status (expected failures are counted as `fail` and again in `expectedFailures`). */
  checks: StatusCounts;
  expectedFailures: number;
  /** Requirements of this level some check evidenced, and those with a failing or warning check. */
  requirements: { evidenced: number; broken: string[] };
}

export interface Summary {
  /** Cases selected for this run (applicable or not). */
  planned: number;
  /** Cases executed: planned minus skipped, unless some never finished. */
  run: number;
  /** Cases by outcome; these six partition the cases in the results. */
  passed: number;
  /** Failed cases the baseline does not excuse. */
  failed: number;
  /** Failed cases whose every failure the baseline excuses. */
  expectedFailures: number;
  warnings: number;
  skipped: number;
  errors: number;
  /** Checks by status, over every case. */
  checks: StatusCounts;
  /** Failed MUST checks the baseline does not excuse. */
  mustFailures: number;
  levels: Record<Level, LevelSummary>;
  /** Cases by status per operation. */
  operations: Partial<Record<OperationId, StatusCounts>>;
}

export type LevelVerdict = 'pass' | 'fail' | 'warning' | 'untested';

export interface Verdict {
  conformant: boolean;
  exitCode: 0 | 1 | 2;
  reason: string;
  /** MUST: fail when a MUST check failed (not excused); SHOULD/MAY: warning when one of theirs did. */
  levels: Record<Level, LevelVerdict>;
}

export type BaselineEntryState = 'excused' | 'stale' | 'expired' | 'not-run';

export interface BaselineEntryReport {
  case: string;
  check?: string;
  reason: string;
  expires?: string;
  state: BaselineEntryState;
  /** What the state means for this entry, in one line. */
  detail: string;
}

export interface BaselineReport {
  /** The file name (no directory: paths can name users and machines). */
  file: string;
  entries: BaselineEntryReport[];
  counts: Record<BaselineEntryState, number>;
}

export interface CaseChange {
  id: string;
  operation: OperationId;
  before: Status;
  after: Status;
  /** Checks whose status changed in the same direction, `check id: before → after`. */
  checks: string[];
}

export interface Comparison {
  /** The earlier run: when it started, which tool version, which profile. */
  previous: { startedAt: string; version: string; profile: ProfileName; verdict: string };
  regressions: CaseChange[];
  fixes: CaseChange[];
  /** Other status changes (e.g. skipped ↔ run). */
  changed: CaseChange[];
  added: string[];
  removed: string[];
}

export interface RunResults {
  schemaVersion: number;
  tool: { name: string; version: string };
  startedAt: string;
  finishedAt: string;
  /** Wall time of the run (for a merged run: the longest shard). */
  durationMs: number;
  target: {
    profile: ProfileName;
    /** The endpoint with any credential-looking query or userinfo removed. */
    endpoint: string;
    /** The environment variable the credential was read from (its name, never its value). */
    apiKeyEnv: string;
    deployments: Record<string, string>;
    emulator: boolean;
    faults: string[];
    disabledFeatures: string[];
    /** How requests authenticated (absent in older files: a key in `apiKeyEnv`). Variable names only. */
    auth?: TargetAuth;
    /** Extra request headers: their names, and the variable each secret one was read from (never a value). */
    headers?: Array<{ name: string; env?: string }>;
    /** The official client also judged each 200 response. */
    sdkJudge?: boolean;
  };
  selection: {
    filters: { only?: string[]; operations?: OperationId[]; levels?: Level[] };
    /** This run's shard; absent for a full run and for a merge of every shard. */
    shard?: Shard;
    /** The ids of the cases the run had to account for, sorted. */
    planned: string[];
  };
  /** Present on a merged run: the shards it was made of. */
  merged?: { shards: Array<Shard | null>; runs: number };
  summary: Summary;
  verdict: Verdict;
  /** Problems that prevented part of the run (a suite that crashed, cases that never finished). */
  runErrors: string[];
  /** What the run learnt about the target as a whole: pre-flight, outages, systemic failures, an early stop. */
  health?: RunHealthReport;
  /** The catalogue entries the cases cite, by id. */
  requirements: Record<string, RequirementRef>;
  /** Requirements and request parameters exercised (./coverage.ts). */
  coverage?: Coverage;
  baseline?: BaselineReport;
  comparison?: Comparison;
  /**
   * The failing, warning and unjudged checks grouped by cause (./findings.ts). Every run writes it;
   * a file written before it existed lacks it (read it with findingsOf).
   */
  findings?: Finding[];
  cases: ReportedCase[];
}

export interface HealthIncidentReport {
  kind: 'outage' | 'systemic';
  /** The case after which the target stopped answering (outage), or the first of a failing run (systemic). */
  culprit?: string;
  /** The culprit's request as a shell command. */
  curl?: string;
  /** True when the culprit is certain: alone in flight, or it brought the target down again when sent alone. */
  proven: boolean;
  recovered?: boolean;
  summary: string;
  /** Cases not judged because of this incident. */
  notJudged: string[];
}

export interface RunHealthReport {
  preflight?: { ok: boolean; what: string; message: string; answeredInMs?: number };
  incidents: HealthIncidentReport[];
  /** Why the run stopped before its end (the target never came back, --max-failures). */
  stoppedEarly?: string;
  /** Ctrl-C (or SIGTERM) ended the run; what ran is reported. */
  interrupted?: boolean;
}

export const EXIT_OK = 0;
export const EXIT_NONCONFORMANT = 1;
export const EXIT_INCOMPLETE = 2;

export const LEVEL_ORDER: Record<Level, number> = { MUST: 0, SHOULD: 1, MAY: 2 };

export function summarise(cases: ReportedCase[], planned: number): Summary {
  const count = (s: Status, excused = false) => cases.filter((c) => c.status === s && Boolean(c.expectedFailure) === excused).length;
  const checks = emptyCounts();
  const levels = Object.fromEntries(LEVELS.map((l) => [l, { checks: emptyCounts(), expectedFailures: 0, requirements: { evidenced: 0, broken: [] as string[] } }])) as Record<Level, LevelSummary>;
  const evidenced = new Map<string, { level: Level; broken: boolean }>();
  const operations: Summary['operations'] = {};
  let mustFailures = 0;
  for (const c of cases) {
    (operations[c.operation] ??= emptyCounts())[c.status]++;
    for (const k of c.checks) {
      checks[k.status]++;
      const level = levels[k.level];
      level.checks[k.status]++;
      if (k.status === 'fail' && k.expectedFailure !== undefined) level.expectedFailures++;
      if (k.status === 'fail' && k.level === 'MUST' && k.expectedFailure === undefined) mustFailures++;
      if (k.status === 'skipped' || k.status === 'error') continue;
      const seen = evidenced.get(k.requirement) ?? { level: k.level, broken: false };
      seen.broken ||= k.status === 'fail' || k.status === 'warning';
      evidenced.set(k.requirement, seen);
    }
  }
  for (const [id, { level, broken }] of [...evidenced].sort(([a], [b]) => a.localeCompare(b))) {
    levels[level].requirements.evidenced++;
    if (broken) levels[level].requirements.broken.push(id);
  }
  const skipped = count('skipped');
  return {
    planned,
    run: cases.length - skipped,
    passed: count('pass'),
    failed: count('fail'),
    expectedFailures: count('fail', true),
    warnings: count('warning'),
    skipped,
    errors: count('error'),
    checks,
    mustFailures,
    levels,
    operations,
  };
}

function levelVerdicts(summary: Summary): Verdict['levels'] {
  const out = {} as Verdict['levels'];
  for (const level of LEVELS) {
    const { checks, expectedFailures } = summary.levels[level];
    const judged = checks.pass + checks.fail + checks.warning;
    out[level] = judged === 0 ? 'untested' : checks.fail - expectedFailures > 0 ? 'fail' : checks.warning > 0 ? 'warning' : 'pass';
  }
  return out;
}

/**
 * Exit 1 when a failure is not excused by the baseline, or a baseline entry is stale or expired;
 * otherwise 2 when the run is incomplete (errors, planned cases that never ran, nothing ran); otherwise 0.
 */
export function verdictOf(summary: Summary, runErrors: string[], baseline?: BaselineReport, health?: RunHealthReport): Verdict {
  const levels = levelVerdicts(summary);
  const staleEntries = baseline ? baseline.counts.stale + baseline.counts.expired : 0;
  const unaccounted = summary.planned - summary.run - summary.skipped;
  const incomplete = [
    health?.interrupted ? 'the run was interrupted' : '',
    health?.preflight && !health.preflight.ok ? `pre-flight: ${health.preflight.message}` : '',
    health?.stoppedEarly && !health.stoppedEarly.startsWith('not run: --max-failures') ? `it stopped early: ${health.stoppedEarly}` : '',
    summary.errors ? `${summary.errors} case(s) could not be judged` : '',
    unaccounted ? `${unaccounted} planned case(s) did not run` : '',
    ...runErrors,
  ].filter(Boolean);
  if (summary.failed > 0 || staleEntries > 0) {
    const parts = [
      summary.failed ? `${summary.mustFailures} MUST check(s) failed in ${summary.failed} case(s)` : '',
      baseline?.counts.stale ? `${baseline.counts.stale} baseline entr${baseline.counts.stale === 1 ? 'y is' : 'ies are'} stale (the failure is gone: remove ${baseline.counts.stale === 1 ? 'it' : 'them'})` : '',
      baseline?.counts.expired ? `${baseline.counts.expired} baseline entr${baseline.counts.expired === 1 ? 'y has' : 'ies have'} expired` : '',
      incomplete.length ? `and the run is incomplete: ${incomplete.join('; ')}` : '',
    ].filter(Boolean);
    return { conformant: false, exitCode: EXIT_NONCONFORMANT, reason: parts.join('; '), levels };
  }
  if (incomplete.length) {
    return { conformant: false, exitCode: EXIT_INCOMPLETE, reason: `the run is incomplete: ${incomplete.join('; ')}`, levels };
  }
  if (summary.run === 0) return { conformant: false, exitCode: EXIT_INCOMPLETE, reason: 'no case ran', levels };
  if (summary.expectedFailures > 0) {
    // The run passes (CI stays green) but the target is not conformant: known failures remain.
    return {
      conformant: false,
      exitCode: EXIT_OK,
      reason: `every failure is an expected one: ${summary.expectedFailures} case(s) excused by the baseline${summary.warnings ? `, ${summary.warnings} with SHOULD/MAY warnings` : ''}`,
      levels,
    };
  }
  return {
    conformant: true,
    exitCode: EXIT_OK,
    reason: summary.warnings ? `no MUST requirement failed (${summary.warnings} case(s) with SHOULD/MAY warnings)` : 'every check passed',
    levels,
  };
}

/** What a case shows in reports: its status, or `expected-failure` when the baseline excuses it. */
export type DisplayStatus = Status | 'expected-failure';
export function displayStatus(c: ReportedCase): DisplayStatus {
  return c.status === 'fail' && c.expectedFailure ? 'expected-failure' : c.status;
}

/** What a check shows in reports: its status, or `expected-failure` when the baseline excuses it. */
export function checkStatus(k: ReportedCheck): DisplayStatus {
  return k.status === 'fail' && k.expectedFailure !== undefined ? 'expected-failure' : k.status;
}

/** Why a case failed or was not judged, in one line per failing check. */
export function describeFailure(result: Pick<CaseResult, 'notJudged' | 'checks'>): string {
  if (result.notJudged) return result.notJudged;
  const bad = result.checks.filter((c) => c.status === 'fail' || c.status === 'error');
  return bad.map((c) => `[${c.level} ${c.requirement}] ${c.check}: ${c.message}`).join('\n');
}
