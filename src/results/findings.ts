/**
 * One cause, one finding: the failing, warning and unjudged checks of a run grouped by their signature
 * (requirement + check + the message with per-case details normalised away), so a single quirk of a
 * target that breaks forty cases reads as one finding with forty cases, not forty failures.
 * Computed once (./build.ts) and stored in results.json; the terminal and report.html read it.
 * Documented in docs/results-json.md.
 */
import { createHash } from 'node:crypto';
import type { Level, OperationId } from '../model.ts';
import type { ReportedCase, ReportedCheck } from './model.ts';

/** fail: a MUST check failed (not excused); expected-failure: failed but the baseline excuses it; warning: SHOULD/MAY; error: not judged. */
export type FindingStatus = 'fail' | 'error' | 'warning' | 'expected-failure';

export interface Finding {
  /** Ten hex digits of the signature's SHA-1: the same cause keeps its id from run to run. */
  id: string;
  /** `<requirement> <check>: <pattern>` — what the grouping is by. */
  signature: string;
  status: FindingStatus;
  level: Level;
  requirement: string;
  /** The check's name; absent for a case that could not be judged at all (its `runError`). */
  check?: string;
  /** The message with per-case details replaced (see normaliseMessage). */
  pattern: string;
  operations: OperationId[];
  /** The cases; the first is the example shown: one about this requirement, with the shortest request. */
  cases: string[];
  /** The check ids (`<case>/<check>[#n]`), in the same order; empty for a case-level error. */
  checks: string[];
}

const STATUS_ORDER: Record<FindingStatus, number> = { fail: 0, error: 1, warning: 2, 'expected-failure': 3 };
const LEVEL_ORDER: Record<Level, number> = { MUST: 0, SHOULD: 1, MAY: 2 };

/** A three-digit HTTP status right after one of these words is a cause, not a per-case detail. */
const STATUS_CONTEXT = /\b(?:status|HTTP|expected|or)\s+$/i;
/** Words with digits that name things rather than vary per case: field names (`float32`), requirement ids (`AUTH-401`). */
const KEPT_WORD = /^(?:[A-Za-z]+(?:_[A-Za-z]+)*\d*|[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)$/;

/**
 * Replaces what differs from case to case while the cause is the same: the case's own id, URLs,
 * double-quoted values (`"…"`, the checks quote what the target sent that way), dates, lists of values
 * (`[…]`), identifiers that mix letters and digits (`<id>`) and numbers (`N`). Kept: HTTP status codes
 * after "status", "expected", "or" or "HTTP" (a 403 and a 500 are different causes), single-quoted
 * property names (`'role'` in a schema message), field names and requirement ids.
 */
export function normaliseMessage(message: string, caseId?: string): string {
  let out = message;
  if (caseId) out = out.split(caseId).join('<case>');
  out = out
    .replace(/\bhttps?:\/\/[^\s"'`,)]+/g, '<url>')
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/\b\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?(?![\w-])/g, '<date>')
    .replace(/(?<![\w-])(?=[\w-]*[A-Za-z])(?=[\w-]*\d)[A-Za-z0-9][\w-]{7,}(?![\w-])/g, (id) => (KEPT_WORD.test(id) ? id : '<id>'))
    .replace(/(?<![\w.]|\w-)\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?!\w)/g, (n, offset: number, whole: string) => (/^[1-5]\d\d$/.test(n) && STATUS_CONTEXT.test(whole.slice(0, offset)) ? n : 'N'));
  // Lists of scalars: their length and content are per-case details too.
  const item = String.raw`(?:"…"|N|null|true|false|<id>|<date>)`;
  out = out.replace(new RegExp(String.raw`\[\s*${item}(?:\s*,\s*${item})*\s*\]`, 'g'), (list) => (list === '[N]' ? list : '[…]'));
  return out.replace(/\s+/g, ' ').trim();
}

function statusOf(k: ReportedCheck): FindingStatus | undefined {
  if (k.status === 'fail') return k.expectedFailure === undefined ? 'fail' : 'expected-failure';
  if (k.status === 'warning' || k.status === 'error') return k.status;
  return undefined;
}

function signatureOf(requirement: string, check: string | undefined, pattern: string): string {
  return `${requirement} ${check ?? '(case)'}: ${pattern}`;
}

/**
 * Groups the run's failing, warning and unjudged checks (and cases that produced no checks) by
 * status and signature. Order: failures, errors, warnings, expected failures; within each, MUST
 * first, then the finding with the most cases, then by signature.
 */
export function groupFindings(cases: ReportedCase[]): Finding[] {
  const groups = new Map<string, Finding>();
  const add = (status: FindingStatus, level: Level, requirement: string, check: string | undefined, message: string, c: ReportedCase, checkId?: string) => {
    const pattern = normaliseMessage(message, c.id);
    const signature = signatureOf(requirement, check, pattern);
    const key = `${status}\n${signature}`;
    let f = groups.get(key);
    if (!f) {
      f = { id: createHash('sha1').update(signature).digest('hex').slice(0, 10), signature, status, level, requirement, ...(check ? { check } : {}), pattern, operations: [], cases: [], checks: [] };
      groups.set(key, f);
    }
    if (!f.operations.includes(c.operation)) f.operations.push(c.operation);
    if (!f.cases.includes(c.id)) f.cases.push(c.id);
    if (checkId) f.checks.push(checkId);
  };
  for (const c of cases) {
    const unjudged = c.runError ?? c.notJudged;
    if (c.status === 'error' && unjudged && !c.checks.some((k) => k.status === 'error')) add('error', c.level, c.requirement, undefined, unjudged, c);
    for (const k of c.checks) {
      const status = statusOf(k);
      if (status) add(status, k.level, k.requirement, k.check, k.message, c, k.id);
    }
  }
  // The example first: a case about this very requirement, then the shortest request to reproduce.
  const byId = new Map(cases.map((c) => [c.id, c]));
  const rank = (f: Finding, id: string) => {
    const c = byId.get(id)!;
    return [c.requirement === f.requirement ? 0 : 1, c.reproduce?.curl.length ?? Number.MAX_SAFE_INTEGER] as const;
  };
  for (const f of groups.values()) {
    f.operations.sort();
    const order = new Map(f.cases.map((id, i) => [id, i]));
    const compare = (a: string, b: string) => {
      const [x, y] = [rank(f, a), rank(f, b)];
      return x[0] - y[0] || x[1] - y[1] || order.get(a)! - order.get(b)!;
    };
    f.cases.sort(compare);
    f.checks.sort((a, b) => compare(a.slice(0, a.indexOf('/')), b.slice(0, b.indexOf('/'))) || (a < b ? -1 : a > b ? 1 : 0));
  }
  return [...groups.values()].sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
      b.cases.length - a.cases.length ||
      (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0),
  );
}

/** The findings of a results.json, computing them for a file written before they existed. */
export function findingsOf(r: { findings?: Finding[]; cases: ReportedCase[] }): Finding[] {
  return r.findings ?? groupFindings(r.cases);
}

export interface SkipReason {
  reason: string;
  cases: string[];
}

/** Skipped cases by reason, the most common first. */
export function skipReasons(cases: ReportedCase[]): SkipReason[] {
  const by = new Map<string, string[]>();
  for (const c of cases) {
    if (c.status !== 'skipped') continue;
    const reason = c.skipReason ?? 'not applicable';
    by.set(reason, [...(by.get(reason) ?? []), c.id]);
  }
  return [...by].map(([reason, ids]) => ({ reason, cases: ids })).sort((a, b) => b.cases.length - a.cases.length || (a.reason < b.reason ? -1 : 1));
}

/** Resolves a finding's check ids to the cases and checks they name, in the finding's order. */
export function occurrences(f: Finding, cases: ReportedCase[]): Array<{ case: ReportedCase; check?: ReportedCheck }> {
  const byId = new Map(cases.map((c) => [c.id, c]));
  if (!f.checks.length) return f.cases.flatMap((id) => (byId.has(id) ? [{ case: byId.get(id)! }] : []));
  return f.checks.flatMap((checkId) => {
    const c = byId.get(checkId.slice(0, checkId.indexOf('/')));
    const k = c?.checks.find((x) => x.id === checkId);
    return c && k ? [{ case: c, check: k }] : [];
  });
}
