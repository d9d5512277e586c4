/**
 * Expected-failures baseline (`--baseline FILE`): known failures of a target that must not fail CI,
 * while anything new still does. YAML:
 *
 *   expected-failures:
 *     - case: chat-usage-total          # every failing check of the case
 *       reason: "vendor bug #123"
 *       expires: 2027-01-31             # optional: after this day (UTC) the entry fails the run
 *     - case: chat-minimal
 *       check: usage-sums               # only this check (a check name, or a check id suffix like usage-sums#2)
 *       reason: "..."
 *
 * | the entry's checks in this run            | state    | run        |
 * | at least one fails (or warns)             | excused  | passes     |
 * | all evaluated, none fails or warns        | stale    | fails (1)  |
 * | the date in `expires` is past             | expired  | fails (1)  |
 * | not evaluated (skipped, filtered, shard)  | not-run  | unaffected |
 * A failure no entry covers fails the run as always.
 */
import { InputError } from './errors.ts';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createAjv } from './ajv.ts';
import type { BaselineEntryReport, BaselineEntryState, BaselineReport, ReportedCase, ReportedCheck } from './results.ts';

export interface BaselineEntry {
  case: string;
  check?: string;
  reason: string;
  /** YYYY-MM-DD: the last day the entry is honoured. */
  expires?: string;
}

export interface Baseline {
  file: string;
  entries: BaselineEntry[];
}

export class BaselineError extends InputError {}

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['expected-failures'],
  properties: {
    'expected-failures': {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['case', 'reason'],
        properties: {
          case: { type: 'string', minLength: 1 },
          check: { type: 'string', minLength: 1 },
          reason: { type: 'string', minLength: 1 },
          expires: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
        },
      },
    },
  },
} as const;

const validate = createAjv({ strict: true, allErrors: true }).compile(SCHEMA);

/**
 * Reads and validates a baseline. `known` names the cases and checks that exist, so a typo is an
 * error here rather than an entry that silently never matches.
 */
export function loadBaseline(path: string, known?: { cases: Set<string>; checks: Set<string> }): Baseline {
  let data: unknown;
  try {
    // Dates stay strings (YAML 1.2 core schema), which is what the schema expects.
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new BaselineError(`baseline ${path}: ${(err as Error).message}`);
  }
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : ''}`);
    throw new BaselineError(`baseline ${path}: ${problems.join('; ')}`);
  }
  const entries = (data as { 'expected-failures': BaselineEntry[] })['expected-failures'];
  const problems: string[] = [];
  entries.forEach((e, i) => {
    if (e.expires !== undefined && Number.isNaN(Date.parse(`${e.expires}T00:00:00Z`))) problems.push(`/expected-failures/${i}/expires: not a date: ${e.expires}`);
    if (!known) return;
    if (!known.cases.has(e.case)) problems.push(`/expected-failures/${i}/case: no case "${e.case}" (see aoai-conformance list cases)`);
    if (e.check !== undefined && !known.checks.has(e.check.replace(/#\d+$/, ''))) problems.push(`/expected-failures/${i}/check: no check "${e.check}" (see aoai-conformance list checks)`);
  });
  if (problems.length) throw new BaselineError(`baseline ${path}: ${problems.join('; ')}`);
  return { file: basename(path), entries };
}

/** The entry has expired when `today` (UTC, YYYY-MM-DD) is after its last day. */
export function isExpired(entry: BaselineEntry, today: string): boolean {
  return entry.expires !== undefined && today > entry.expires;
}

function matches(entry: BaselineEntry, check: ReportedCheck): boolean {
  if (entry.check === undefined) return true;
  // `usage-sums` covers every usage-sums check of the case; `usage-sums#2` only the second.
  return entry.check.includes('#') ? check.id === `${check.id.split('/')[0]}/${entry.check}` : check.check === entry.check;
}

/**
 * Marks the failures the baseline excuses (on the checks and cases, in place) and reports each
 * entry's state. Only `fail` checks are excused; a `warning` keeps an entry alive but needs no excuse.
 */
export function applyBaseline(baseline: Baseline, cases: ReportedCase[], today = new Date().toISOString().slice(0, 10)): BaselineReport {
  const byId = new Map(cases.map((c) => [c.id, c]));
  for (const c of cases) for (const k of c.checks) delete k.expectedFailure;
  const report: BaselineEntryReport[] = [];
  for (const entry of baseline.entries) {
    const base = { case: entry.case, ...(entry.check ? { check: entry.check } : {}), reason: entry.reason, ...(entry.expires ? { expires: entry.expires } : {}) };
    const state = (s: BaselineEntryState, detail: string) => report.push({ ...base, state: s, detail });
    if (isExpired(entry, today)) {
      state('expired', `expired on ${entry.expires}: fix the target or renew the entry`);
      continue;
    }
    const c = byId.get(entry.case);
    if (!c || c.status === 'skipped' || c.status === 'error') {
      state('not-run', c ? `the case was ${c.status === 'skipped' ? `skipped (${c.skipReason ?? 'not applicable'})` : 'not judged'}` : 'the case was not in this run');
      continue;
    }
    const covered = c.checks.filter((k) => matches(entry, k));
    const judged = covered.filter((k) => k.status !== 'skipped' && k.status !== 'error');
    const failing = judged.filter((k) => k.status === 'fail' || k.status === 'warning');
    if (failing.length) {
      for (const k of failing) if (k.status === 'fail') k.expectedFailure ??= entry.reason;
      state('excused', `still failing: ${failing.map((k) => k.check).join(', ')}`);
    } else if (judged.length) {
      state('stale', `now passes: remove the entry`);
    } else if (covered.length) {
      state('not-run', `${entry.check ?? 'its checks'} not evaluated (an earlier check failed)`);
    } else {
      state('stale', `the case has no ${entry.check} check: the entry can never match`);
    }
  }
  for (const c of cases) {
    const failing = c.checks.filter((k) => k.status === 'fail');
    if (c.status === 'fail' && failing.length && failing.every((k) => k.expectedFailure !== undefined)) {
      c.expectedFailure = { reasons: [...new Set(failing.map((k) => k.expectedFailure!))] };
    } else {
      delete c.expectedFailure;
    }
  }
  const counts: BaselineReport['counts'] = { excused: 0, stale: 0, expired: 0, 'not-run': 0 };
  for (const e of report) counts[e.state]++;
  return { file: baseline.file, entries: report, counts };
}
