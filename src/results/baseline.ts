/**
 * Expected-failures baseline (`--baseline FILE`): known failures of a target that must not fail CI,
 * while anything new still does. YAML:
 *
 *   expected-failures:
 *     - case: chat-usage-total          # every failing check of the case
 *       reason: "vendor bug #123"
 *       expires: 2027-01-31             # optional: after this day (UTC) the entry fails the run
 *     - case: chat-minimal
 *       check: usage-sums               # only this check: a check name (every check of that name), or
 *       reason: "..."                   # the n-th of that name, usage-sums#2 (usage-sums#1 the first)
 *
 * | the entry's checks in this run            | state    | run        |
 * | at least one fails (or warns)             | excused  | passes     |
 * | all evaluated, none fails or warns        | stale    | fails (1)  |
 * | the date in `expires` is past             | expired  | fails (1)  |
 * | not evaluated (skipped, filtered, shard)  | not-run  | unaffected |
 * A failure no entry covers fails the run as always. `writeBaseline` and `updateBaseline` (the
 * `baseline` command) make and maintain these files from a run's results.
 */
import { InputError } from '../errors.ts';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Document, isMap, isSeq, parse as parseYaml, parseDocument, type YAMLSeq } from 'yaml';
import { currentCaseId, loadRenames, type Renames } from '../renamed.ts';
import { createAjv } from '../ajv.ts';
import type { BaselineEntryReport, BaselineEntryState, BaselineReport, ReportedCase, ReportedCheck } from './model.ts';

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
  /** Entries that named a case by an id renamed since (cases/renamed.yaml), read as the current id: one note each. */
  renamed?: string[];
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

// Compiled on the first baseline read: every run imports this module (results/build.ts), few read a baseline.
let compiled: ReturnType<typeof compileSchema> | undefined;
const compileSchema = () => createAjv({ strict: true, allErrors: true }).compile(SCHEMA);

/**
 * Reads and validates a baseline. `known` names the cases and checks that exist, so a typo is an
 * error here rather than an entry that silently never matches.
 */
export function loadBaseline(path: string, known?: KnownIds): Baseline {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new BaselineError(`baseline ${path}: ${(err as Error).message}`);
  }
  return parseBaseline(text, path, known);
}

/** The cases and check names that exist (the catalogue), to catch entries that can never match. */
export interface KnownIds {
  cases: Set<string>;
  checks: Set<string>;
}

/** What is wrong with an entry's case or check name, if anything. */
function unknownIn(e: BaselineEntry, known: KnownIds): string | undefined {
  if (!known.cases.has(e.case)) return `no case "${e.case}" (see aoai-conformance list cases)`;
  if (e.check !== undefined && !known.checks.has(e.check.replace(/#\d+$/, ''))) return `no check "${e.check}" (see aoai-conformance list checks)`;
  return undefined;
}

/** loadBaseline on a text already read; `path` names it in errors. */
export function parseBaseline(text: string, path: string, known?: KnownIds, renames: Renames = loadRenames()): Baseline {
  let data: unknown;
  try {
    // Dates stay strings (YAML 1.2 core schema), which is what the schema expects.
    data = parseYaml(text);
  } catch (err) {
    throw new BaselineError(`baseline ${path}: ${(err as Error).message}`);
  }
  const validate = (compiled ??= compileSchema());
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : ''}`);
    throw new BaselineError(`baseline ${path}: ${problems.join('; ')}`);
  }
  const renamed: string[] = [];
  const entries = (data as { 'expected-failures': BaselineEntry[] })['expected-failures'].map((e, i) => {
    const now = currentCaseId(e.case, renames);
    if (now === e.case) return e;
    renamed.push(`/expected-failures/${i}/case: case ${e.case} was renamed ${now}: read as ${now}`);
    return { ...e, case: now };
  });
  const problems: string[] = [];
  entries.forEach((e, i) => {
    if (e.expires !== undefined && Number.isNaN(Date.parse(`${e.expires}T00:00:00Z`))) problems.push(`/expected-failures/${i}/expires: not a date: ${e.expires}`);
    const unknown = known && unknownIn(e, known);
    if (unknown) problems.push(`/expected-failures/${i}/${unknown.startsWith('no case') ? 'case' : 'check'}: ${unknown}`);
  });
  if (problems.length) throw new BaselineError(`baseline ${path}: ${problems.join('; ')}`);
  return { file: basename(path), entries, ...(renamed.length ? { renamed } : {}) };
}

/** The entry has expired when `today` (UTC, YYYY-MM-DD) is after its last day. */
export function isExpired(entry: BaselineEntry, today: string): boolean {
  return entry.expires !== undefined && today > entry.expires;
}

function matches(entry: BaselineEntry, check: ReportedCheck): boolean {
  if (entry.check === undefined) return true;
  // `usage-sums` covers every usage-sums check of the case; `usage-sums#2` only the second, and
  // `usage-sums#1` only the first (whose id has no suffix).
  return entry.check.includes('#') ? checkRef(check) === entry.check.replace(/#1$/, '') : check.check === entry.check;
}

/** A check's id within its case: `usage-sums`, or `status#2` for the second status check. */
function checkRef(check: Pick<ReportedCheck, 'id'>): string {
  return check.id.slice(check.id.indexOf('/') + 1);
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

// ---- Writing and maintaining a baseline from a run's results (the `baseline` command) ----

/** The reason every written entry starts with, until someone says why the failure is accepted. */
export const REASON_PLACEHOLDER = 'TODO: say why this failure is accepted (a ticket, a vendor answer)';

export interface WriteOptions {
  /** The reason of every new entry (default REASON_PLACEHOLDER). */
  reason?: string;
  /** YYYY-MM-DD, the last day new entries are honoured; undefined: they never expire. */
  expires?: string;
}

/** A new entry with the failure it excuses, for the comment above it. */
interface Drafted {
  entry: BaselineEntry;
  comment: string;
}

/**
 * One entry per failing check, naming it as narrowly as the format allows: the check's name when the
 * case has one check of that name, else its occurrence (`status#2`, `status#1` for the first).
 * Such entries excuse exactly these failures: a later failure of another check still fails the run.
 */
function draftEntries(failing: Array<{ case: ReportedCase; check: ReportedCheck }>, opts: WriteOptions): Drafted[] {
  const out = new Map<string, Drafted>();
  for (const { case: c, check: k } of failing) {
    const siblings = c.checks.filter((x) => x.check === k.check).length;
    const ref = checkRef(k);
    const check = siblings === 1 ? k.check : ref.includes('#') ? ref : `${ref}#1`;
    const key = `${c.id}\n${check}`;
    if (out.has(key)) continue;
    const entry: BaselineEntry = { case: c.id, check, reason: opts.reason ?? REASON_PLACEHOLDER, ...(opts.expires ? { expires: opts.expires } : {}) };
    out.set(key, { entry, comment: ` ${k.level} ${k.requirement}: ${k.message}`.replace(/\s*\n\s*/g, ' ').slice(0, 200) });
  }
  return [...out.values()].sort((a, b) => (a.entry.case < b.entry.case ? -1 : a.entry.case > b.entry.case ? 1 : a.entry.check! < b.entry.check! ? -1 : 1));
}

const failingChecks = (cases: ReportedCase[], unexcusedOnly: boolean) =>
  cases.flatMap((c) => c.checks.filter((k) => k.status === 'fail' && !(unexcusedOnly && k.expectedFailure !== undefined)).map((k) => ({ case: c, check: k })));

function appendEntries(seq: YAMLSeq, doc: Document, drafted: Drafted[]): void {
  seq.flow = false;
  for (const d of drafted) {
    const node = doc.createNode(d.entry);
    node.commentBefore = d.comment;
    seq.items.push(node);
  }
}

/** A baseline (YAML text) excusing every failing check of a run, each entry above a comment naming its failure. */
export function writeBaseline(cases: ReportedCase[], about: string, opts: WriteOptions = {}): { text: string; entries: BaselineEntry[] } {
  const drafted = draftEntries(failingChecks(cases, false), opts);
  const doc = new Document({ 'expected-failures': [] });
  doc.commentBefore = ` ${about}\n Expected failures (docs/reports.md): replace each TODO with the reason the failure is accepted.`;
  appendEntries(doc.get('expected-failures') as YAMLSeq, doc, drafted);
  if (!drafted.length) (doc.get('expected-failures') as YAMLSeq).flow = true;
  return { text: String(doc), entries: drafted.map((d) => d.entry) };
}

export interface BaselineUpdate {
  text: string;
  /** Entries kept as they were (reasons, expiries and comments untouched). */
  kept: BaselineEntry[];
  /** Entries removed, each with why. */
  dropped: Array<{ entry: BaselineEntry; why: string }>;
  /** Entries added for failures no entry covered. */
  added: BaselineEntry[];
  /** Kept entries that have expired while their failure remains: renew them or fix the target. */
  expired: BaselineEntry[];
  /** Entries that named a renamed case, now written with its current id. */
  renamed: string[];
}

/**
 * Brings a baseline in line with a run: drops stale entries (their failure is gone, or they can never
 * match) and entries naming a case or check the suite no longer has, keeps the others as written
 * (comments included), and adds an entry for each failure no entry covers. Expiry is judged apart: an
 * expired entry whose failure remains is kept and reported, never silently renewed.
 */
export function updateBaseline(text: string, path: string, cases: ReportedCase[], opts: WriteOptions & { today?: string; known?: KnownIds } = {}): BaselineUpdate {
  const baseline = parseBaseline(text, path);
  const doc = parseDocument(text);
  const seq = doc.get('expected-failures');
  if (!isSeq(seq)) throw new BaselineError(`baseline ${path}: expected-failures is not a list`);
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  // Judge the entries as if none had expired, on a copy: whether each failure remains is the question.
  const judged = structuredClone(cases);
  const report = applyBaseline({ file: baseline.file, entries: baseline.entries.map(({ expires: _e, ...e }) => e) }, judged, today);
  const kept: BaselineEntry[] = [];
  const dropped: BaselineUpdate['dropped'] = [];
  const expired: BaselineEntry[] = [];
  const remove: number[] = [];
  baseline.entries.forEach((entry, i) => {
    const unknown = opts.known && unknownIn(entry, opts.known);
    const state = report.entries[i];
    if (unknown || state.state === 'stale') {
      dropped.push({ entry, why: unknown ?? state.detail });
      remove.push(i);
      return;
    }
    kept.push(entry);
    // An entry that names a renamed case is kept under the case's current id.
    const node = seq.items[i];
    if (isMap(node) && node.get('case') !== entry.case) node.set('case', entry.case);
    if (isExpired(entry, today)) expired.push(entry);
  });
  for (const i of remove.reverse()) seq.items.splice(i, 1);
  const drafted = draftEntries(failingChecks(judged, true), opts);
  appendEntries(seq, doc, drafted);
  if (!seq.items.length) seq.flow = true;
  return { text: String(doc), kept, dropped, added: drafted.map((d) => d.entry), expired, renamed: baseline.renamed ?? [] };
}
