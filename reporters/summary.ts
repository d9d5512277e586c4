/**
 * The terminal summary at the end of a run (or a merge): a table of cases per operation and status,
 * the verdict per level, every failure with its requirement, baseline and comparison news, and where
 * the reports are. Plain text; every string from the target has been redacted upstream.
 */
import { resolve } from 'node:path';
import { LEVELS } from '../src/model.ts';
import { displayStatus, type RunResults, type StatusCounts } from '../src/results.ts';
import { formatShard } from '../src/shard.ts';
import { headlines } from './headline.ts';

const COLUMNS: Array<[string, (c: StatusCounts & { xfail: number }) => number]> = [
  ['pass', (c) => c.pass],
  ['fail', (c) => c.fail - c.xfail],
  ['xfail', (c) => c.xfail],
  ['warn', (c) => c.warning],
  ['skip', (c) => c.skipped],
  ['error', (c) => c.error],
];

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `  ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')}`);
}

export function renderSummary(r: RunResults, reportDir: string, extraFiles: string[] = []): string {
  const s = r.summary;
  const lines: string[] = [
    '',
    `aoai-conformance — profile ${r.target.profile} — ${r.target.emulator ? 'embedded emulator' : r.target.endpoint}${r.target.faults.length ? ` (faults: ${r.target.faults.join(', ')})` : ''}${r.selection.shard ? ` — shard ${formatShard(r.selection.shard)}` : ''}${r.merged ? ` — merged from ${r.merged.runs} run(s)` : ''}`,
    `  planned ${s.planned}  run ${s.run}  passed ${s.passed}  failed ${s.failed}  warnings ${s.warnings}  skipped ${s.skipped}  errors ${s.errors}${s.expectedFailures ? `  expected failures ${s.expectedFailures}` : ''}`,
    ...headlines(r).flatMap((h) => [`  ▶ ${h.text}`, ...(h.curl ? [`    ${h.curl.split('\n').join('\n    ')}`] : [])]),
    '',
  ];
  const perOperation = new Map<string, StatusCounts & { xfail: number; ms: number }>();
  for (const c of r.cases) {
    const row = perOperation.get(c.operation) ?? { pass: 0, fail: 0, warning: 0, skipped: 0, error: 0, xfail: 0, ms: 0 };
    row[c.status]++;
    if (displayStatus(c) === 'expected-failure') row.xfail++;
    row.ms += c.durationMs;
    perOperation.set(c.operation, row);
  }
  const total = { pass: 0, fail: 0, warning: 0, skipped: 0, error: 0, xfail: 0, ms: 0 };
  const rows = [['operation', ...COLUMNS.map(([h]) => h), 'time']];
  for (const [op, row] of [...perOperation].sort(([a], [b]) => a.localeCompare(b))) {
    rows.push([op, ...COLUMNS.map(([, f]) => String(f(row))), `${(row.ms / 1000).toFixed(1)}s`]);
    for (const k of Object.keys(total) as Array<keyof typeof total>) total[k] += row[k];
  }
  rows.push(['total', ...COLUMNS.map(([, f]) => String(f(total))), `${(total.ms / 1000).toFixed(1)}s`]);
  lines.push(...table(rows), `  time is the sum over each operation's cases; wall time ${(r.durationMs / 1000).toFixed(1)}s`, '');
  lines.push(`  levels: ${LEVELS.map((l) => `${l} ${r.verdict.levels[l]}`).join(' · ')}`);

  const bad = r.cases.filter((c) => (c.status === 'fail' || c.status === 'error' || c.status === 'warning') && c.notJudged === undefined);
  if (bad.length) lines.push('');
  for (const c of bad) {
    const shown = displayStatus(c);
    lines.push(`  ${(shown === 'expected-failure' ? 'XFAIL' : shown.toUpperCase()).padEnd(7)} ${c.id}`);
    for (const k of c.checks.filter((x) => x.status === 'fail' || x.status === 'warning' || x.status === 'error')) {
      lines.push(`          ${k.level} ${k.requirement} · ${k.check}: ${k.message}${k.expectedFailure !== undefined ? ` (expected: ${k.expectedFailure})` : ''}`);
    }
    if (c.runError) lines.push(`          ${c.runError}`);
  }
  const notJudged = new Map<string, string[]>();
  for (const c of r.cases) if (c.notJudged !== undefined) notJudged.set(c.notJudged, [...(notJudged.get(c.notJudged) ?? []), c.id]);
  for (const [reason, ids] of notJudged) lines.push(`  NOT JUDGED ${ids.length} case(s) — ${reason} (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''})`);
  for (const e of r.runErrors) lines.push(`  RUN ERROR ${e}`);

  if (r.baseline) {
    const b = r.baseline;
    lines.push('', `  baseline ${b.file}: ${b.counts.excused} excused, ${b.counts.stale} stale, ${b.counts.expired} expired, ${b.counts['not-run']} not run`);
    for (const e of b.entries.filter((x) => x.state === 'stale' || x.state === 'expired')) {
      lines.push(`    ${e.state.toUpperCase().padEnd(7)} ${e.case}${e.check ? ` / ${e.check}` : ''}: ${e.detail}`);
    }
  }
  if (r.comparison) {
    const cmp = r.comparison;
    lines.push('', `  compared with the run of ${cmp.previous.startedAt}: ${cmp.regressions.length} regression(s), ${cmp.fixes.length} fix(es)${cmp.added.length ? `, ${cmp.added.length} new case(s)` : ''}${cmp.removed.length ? `, ${cmp.removed.length} case(s) gone` : ''}`);
    for (const c of cmp.regressions) lines.push(`    REGRESSED ${c.id}: ${c.before} → ${c.after}${c.checks.length ? ` (${c.checks.join('; ')})` : ''}`);
    for (const c of cmp.fixes) lines.push(`    FIXED     ${c.id}: ${c.before} → ${c.after}${c.checks.length ? ` (${c.checks.join('; ')})` : ''}`);
  }
  lines.push('', `  verdict: ${r.verdict.reason} (exit ${r.verdict.exitCode})`, `  report: ${resolve(reportDir, 'report.html')}`);
  for (const f of extraFiles) lines.push(`          ${f}`);
  lines.push('');
  return lines.join('\n');
}
