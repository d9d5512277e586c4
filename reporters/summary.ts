/**
 * The terminal summary at the end of a run (or a merge): cases per operation and status, the verdict
 * per level, then the findings — one per cause, grouped by requirement, the first case of each with
 * expected, actual and its reproduction — why cases were skipped, configuration hints, baseline and
 * comparison news, and where the reports are. Coloured by ./colour.ts; every string from the target
 * has been redacted upstream.
 */
import { resolve } from 'node:path';
import { type Finding, findingsOf, normaliseMessage, occurrences, skipReasons } from '../src/results/findings.ts';
import { LEVELS } from '../src/model.ts';
import type { ReportedCase, ReportedCheck, RunResults } from '../src/results/model.ts';
import { formatShard } from '../src/results/shard.ts';
import { type OperationTally, operationTallies } from '../src/results/tally.ts';
import { colourWanted, type Palette, palette } from './colour.ts';
import { emulatorCommand } from '../src/results/curl.ts';
import { headlines } from '../src/results/headline.ts';
import { configHints } from '../src/results/hints.ts';

const COLUMNS: Array<[string, (c: OperationTally) => number]> = [
  ['pass', (c) => c.pass],
  ['fail', (c) => c.fail - c.xfail],
  ['xfail', (c) => c.xfail],
  ['warn', (c) => c.warning],
  ['skip', (c) => c.skipped],
  ['error', (c) => c.error],
];

/** Failure causes shown with their first case in full (expected, actual, curl); the rest get one line. */
const DETAILED = 8;
/** A value shown on one line is cut after this many characters. */
const VALUE_WIDTH = 160;
/** A longer curl command is left to the report. */
const CURL_MAX = 1500;

export interface SummaryOptions {
  /** Default: colourWanted(process.stdout). */
  colour?: boolean;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `  ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')}`);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function oneLine(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length > VALUE_WIDTH ? `${flat.slice(0, VALUE_WIDTH)}… (${flat.length} chars)` : flat;
}

function operationTable(r: RunResults): string[] {
  const { rows: perOperation, total } = operationTallies(r.cases);
  const rows = [['operation', ...COLUMNS.map(([h]) => h), 'time']];
  for (const [op, row] of perOperation) rows.push([op, ...COLUMNS.map(([, f]) => String(f(row))), `${(row.ms / 1000).toFixed(1)}s`]);
  rows.push(['total', ...COLUMNS.map(([, f]) => String(f(total))), `${(total.ms / 1000).toFixed(1)}s`]);
  return [...table(rows), `  time is the sum over each operation's cases; wall time ${(r.durationMs / 1000).toFixed(1)}s`];
}

/** The first case of a finding in full: what was expected, what arrived, and how to send it again. */
function firstCase(first: { case: ReportedCase; check?: ReportedCheck } | undefined, p: Palette, full: boolean): string[] {
  if (!first) return [];
  const { case: c, check: k } = first;
  const said = k && full && normaliseMessage(k.message, c.id) !== k.message ? ` — ${k.message}` : '';
  const lines = [`      ${p.dim('first:')} ${c.id} ${p.dim(`(${c.operation})`)}${said}`];
  if (!full) return lines;
  if (k) lines.push(`      ${p.dim('expected:')} ${oneLine(k.expected)}`, `      ${p.dim('actual:  ')} ${p.red(oneLine(k.actual))}`);
  else if (c.runError ?? c.notJudged) lines.push(`      ${c.runError ?? c.notJudged}`);
  const curl = c.reproduce?.curl;
  if (curl) {
    lines.push(`      ${p.dim('reproduce:')}`);
    if (curl.length > CURL_MAX) lines.push(`        ${p.dim(`(${curl.length} characters: see the case ${c.id} in report.html)`)}`);
    else lines.push(...curl.split('\n').map((l) => `        ${p.cyan(l)}`));
  }
  return lines;
}

const MARK: Record<Finding['status'], (p: Palette) => string> = {
  fail: (p) => p.red('✗'),
  error: (p) => p.magenta('!'),
  warning: (p) => p.yellow('⚠'),
  'expected-failure': (p) => p.dim('XFAIL'),
};

/** One line per requirement with its case count, then each of its causes with its first case. */
function findingLines(findings: Finding[], r: RunResults, p: Palette, detailed: number): string[] {
  const byRequirement = new Map<string, Finding[]>();
  for (const f of findings) byRequirement.set(f.requirement, [...(byRequirement.get(f.requirement) ?? []), f]);
  const lines: string[] = [];
  let shown = 0;
  for (const [requirement, causes] of byRequirement) {
    const cases = new Set(causes.flatMap((f) => f.cases)).size;
    const head = `  ${MARK[causes[0].status](p)} ${p.bold(requirement)} ${p.dim(causes[0].level)} · ${plural(cases, 'case')}`;
    const describe = (f: Finding) => `${f.check ? `${f.check}: ` : ''}${f.pattern}`;
    const reason = (f: Finding) => {
      if (f.status !== 'expected-failure') return '';
      const first = occurrences(f, r.cases)[0]?.check?.expectedFailure;
      return first ? p.dim(` (expected: ${first})`) : '';
    };
    if (causes.length === 1) {
      lines.push(`${head} · ${describe(causes[0])}${reason(causes[0])}`);
      lines.push(...firstCase(occurrences(causes[0], r.cases)[0], p, shown++ < detailed));
      continue;
    }
    lines.push(`${head}, ${causes.length} causes`);
    for (const f of causes) {
      lines.push(`    · ${describe(f)} ${p.dim(`(${plural(f.cases.length, 'case')})`)}${reason(f)}`);
      lines.push(...firstCase(occurrences(f, r.cases)[0], p, shown++ < detailed).map((l) => `  ${l}`));
    }
  }
  return lines;
}

function findingsBlock(r: RunResults, p: Palette): string[] {
  const findings = findingsOf(r);
  const of = (s: Finding['status']) => findings.filter((f) => f.status === s);
  const cases = (list: Finding[]) => new Set(list.flatMap((f) => f.cases)).size;
  const lines: string[] = [];
  const block = (list: Finding[], title: string, detailed: number) => {
    if (!list.length) return;
    lines.push('', `  ${title}: ${plural(cases(list), 'case')}, ${plural(new Set(list.map((f) => f.requirement)).size, 'requirement')}, ${plural(list.length, 'cause')}`);
    lines.push(...findingLines(list, r, p, detailed));
  };
  // The reproductions of an emulator run need the same emulator again: how to start it, once.
  const emulator = emulatorCommand(r.target);
  if (emulator && (of('fail').length || of('error').length)) {
    lines.push('', `  ${p.dim('To send a reproduction below, first start the same emulator:')}`, ...emulator.split('\n').map((l) => `    ${p.cyan(l)}`));
  }
  block(of('fail'), p.bold(p.red('Failures')), DETAILED);
  block(of('error'), p.bold(p.magenta('Not judged')), DETAILED);
  block(of('warning'), p.bold(p.yellow('Warnings')) + p.dim(' (SHOULD/MAY: they do not fail the run)'), 0);
  block(of('expected-failure'), p.bold('Expected failures') + p.dim(' (the baseline excuses them)'), 0);
  return lines;
}

function skippedBlock(r: RunResults, p: Palette): string[] {
  const reasons = skipReasons(r.cases);
  if (!reasons.length) return [];
  const width = String(Math.max(...reasons.map((s) => s.cases.length))).length;
  return ['', `  ${p.bold('Skipped')}: ${plural(r.summary.skipped, 'case')}, by reason`, ...reasons.map((s) => `    ${String(s.cases.length).padStart(width)}  ${s.reason}`)];
}

function hintsBlock(r: RunResults, p: Palette): string[] {
  const hints = configHints(r);
  if (!hints.length) return [];
  const lines = ['', `  ${p.bold(p.cyan('Hints'))}: these look like configuration mistakes, not target failures (docs/target-config.md)`];
  for (const h of hints) lines.push(`  ${p.cyan('?')} ${h.text}:`, ...h.config.split('\n').map((l) => `        ${p.cyan(l)}`));
  return lines;
}

export function renderSummary(r: RunResults, reportDir: string, extraFiles: string[] = [], opts: SummaryOptions = {}): string {
  const p = palette(opts.colour ?? colourWanted(process.stdout));
  const s = r.summary;
  const verdictColour = r.verdict.exitCode === 0 ? (r.verdict.conformant ? p.green : p.yellow) : r.verdict.exitCode === 1 ? p.red : p.magenta;
  const lines: string[] = [
    '',
    p.bold(`aoai-conformance — profile ${r.target.profile} — ${r.target.emulator ? 'embedded emulator' : r.target.endpoint}${r.target.faults.length ? ` (faults: ${r.target.faults.join(', ')})` : ''}${r.selection.shard ? ` — shard ${formatShard(r.selection.shard)}` : ''}${r.merged ? ` — merged from ${r.merged.runs} run(s)` : ''}`),
    ...headlines(r).flatMap((h) => [`  ${p.bold(p.yellow('▶'))} ${p.bold(h.text)}`, ...(h.curl ? h.curl.split('\n').map((l) => `      ${p.cyan(l)}`) : [])]),
    `  planned ${s.planned}  run ${s.run}  passed ${s.passed}  failed ${s.failed}  warnings ${s.warnings}  skipped ${s.skipped}  errors ${s.errors}${s.expectedFailures ? `  expected failures ${s.expectedFailures}` : ''}`,
    '',
    ...operationTable(r),
    '',
    `  levels: ${LEVELS.map((l) => `${l} ${r.verdict.levels[l]}`).join(' · ')}`,
    ...findingsBlock(r, p),
    ...skippedBlock(r, p),
    ...hintsBlock(r, p),
  ];
  if (r.runErrors.length) lines.push('');
  for (const e of r.runErrors) lines.push(`  ${p.magenta('RUN ERROR')} ${e}`);

  if (r.baseline) {
    const b = r.baseline;
    lines.push('', `  baseline ${b.file}: ${b.counts.excused} excused, ${b.counts.stale} stale, ${b.counts.expired} expired, ${b.counts['not-run']} not run`);
    for (const e of b.entries.filter((x) => x.state === 'stale' || x.state === 'expired')) {
      lines.push(`    ${p.red(e.state.toUpperCase().padEnd(7))} ${e.case}${e.check ? ` / ${e.check}` : ''}: ${e.detail}`);
    }
    if (b.counts.stale) lines.push(p.dim(`    \`aoai-conformance baseline update FILE --from ${reportDir}\` drops stale entries and adds new failures`));
  }
  if (r.comparison) {
    const cmp = r.comparison;
    lines.push('', `  compared with the run of ${cmp.previous.startedAt}: ${cmp.regressions.length} regression(s), ${cmp.fixes.length} fix(es)${cmp.added.length ? `, ${cmp.added.length} new case(s)` : ''}${cmp.removed.length ? `, ${cmp.removed.length} case(s) gone` : ''}`);
    for (const c of cmp.regressions) lines.push(`    ${p.red('REGRESSED')} ${c.id}: ${c.before} → ${c.after}${c.checks.length ? ` (${c.checks.join('; ')})` : ''}`);
    for (const c of cmp.fixes) lines.push(`    ${p.green('FIXED    ')} ${c.id}: ${c.before} → ${c.after}${c.checks.length ? ` (${c.checks.join('; ')})` : ''}`);
  }
  lines.push('', `  verdict: ${verdictColour(r.verdict.reason)} (exit ${r.verdict.exitCode})`, `  report: ${resolve(reportDir, 'report.html')}`);
  for (const f of extraFiles) lines.push(`          ${f}`);
  lines.push('');
  return lines.join('\n');
}
