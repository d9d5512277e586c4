/**
 * report.html: one self-contained file (inline CSS, JS and SVG, no external asset, a Content-Security-Policy
 * that forbids any fetch) that answers "is this server conformant, and if not, where and why".
 * Top to bottom: the verdict per level and configuration hints, cases per operation (chart), the
 * operations × categories matrix, the findings (one per cause: requirement, seed, diff, exchange,
 * reproduction), comparison and baseline, coverage, every case (filterable), skipped cases, timings
 * (with the response-time distribution). Everything is rendered here; the script only filters.
 * Every dynamic string goes through escape-html.
 */
import { findingsOf, skipReasons } from '../src/results/findings.ts';
import { LEVELS, type Level, type OperationId } from '../src/model.ts';
import { CATEGORIES, type Category, checkStatus, displayStatus, type DisplayStatus, type ReportedCase, type ReportedCheck, type RunResults } from '../src/results/model.ts';
import { formatShard } from '../src/results/shard.ts';
import { caseTimes, categoryMatrix } from '../src/results/tally.ts';
import { latencyChart, operationsChart } from './charts.ts';
import { configHints } from '../src/results/hints.ts';
import { headlines } from '../src/results/headline.ts';
import { failingRequirements, findingsSection, hintsBox } from './html-failures.ts';
import { badge, curlBlock, esc, exchangeBlock, ms, renderDiff, STATUS_LABEL, wide } from './html-parts.ts';
import { CSS, SCRIPT } from './html-style.ts';

export { renderDiff };

function matrixSection(r: RunResults): string {
  const { operations, cell: cellOf } = categoryMatrix(r.cases);
  const cellHtml = (op: OperationId, cat: Category) => {
    const cell = cellOf(op, cat);
    const id = `cell-${op}-${cat}`;
    if (!cell) return `<td class="cell none" data-testid="${esc(id)}">—</td>`;
    const cls = cell.fail || cell.error ? 'fail' : cell.xfail ? 'expected-failure' : cell.warning ? 'warning' : cell.pass ? 'pass' : 'skipped';
    const parts = [
      cell.pass ? `<span title="checks passed">${cell.pass} ✓</span>` : '',
      cell.fail ? `<span title="checks failed">${cell.fail} ✗</span>` : '',
      cell.xfail ? `<span title="expected failures">${cell.xfail} xfail</span>` : '',
      cell.warning ? `<span title="warnings">${cell.warning} ⚠</span>` : '',
      cell.error ? `<span title="could not judge">${cell.error} err</span>` : '',
      cell.skipped ? `<span class="dim" title="not evaluated">${cell.skipped} –</span>` : '',
    ].filter(Boolean);
    return `<td class="cell ${cls}" data-testid="${esc(id)}" data-status="${cls}"><a href="#cases" data-filter-operation="${esc(op)}" data-filter-category="${cat}">${parts.join(' ')}</a></td>`;
  };
  if (!operations.length) return '<section><h2 id="matrix">Operations × categories</h2><p class="meta">No case is in this run.</p></section>';
  return `<section><h2 id="matrix">Operations × categories</h2>
${operationsChart(r)}
<p class="meta">Checks per operation and part of the contract (✓ passed, ✗ failed, ⚠ SHOULD/MAY warning, – not evaluated). Click a cell to list its cases.</p>
${wide(`<table class="matrix" data-testid="matrix"><thead><tr><th>operation</th>${CATEGORIES.map((c) => `<th>${c}</th>`).join('')}</tr></thead>
<tbody>${operations.map((op) => `<tr><th>${esc(op)}</th>${CATEGORIES.map((cat) => cellHtml(op, cat)).join('')}</tr>`).join('\n')}</tbody></table>`)}</section>`;
}

function levelsTable(r: RunResults): string {
  const s = r.summary;
  const word = { pass: 'met', fail: 'broken', warning: 'warnings', untested: 'not tested' } as const;
  const cell = (l: Level) => {
    const v = r.verdict.levels[l];
    const lv = s.levels[l];
    const broken = lv.requirements.broken.length ? `<div class="dim">${lv.requirements.broken.map((id) => `<code>${esc(id)}</code>`).join(' ')}</div>` : '';
    return `<td class="lv ${v}" data-testid="level-${l}"><b>${word[v]}</b><div class="dim">${lv.checks.pass} passed · ${lv.checks.fail - lv.expectedFailures} failed${lv.expectedFailures ? ` · ${lv.expectedFailures} expected` : ''} · ${lv.checks.warning} warnings · ${lv.requirements.evidenced} requirement(s)</div>${broken}</td>`;
  };
  return wide(`<table class="levels" data-testid="levels"><thead><tr><th>profile</th>${LEVELS.map((l) => `<th>${l}</th>`).join('')}</tr></thead>
<tbody><tr><th>${esc(r.target.profile)}</th>${LEVELS.map(cell).join('')}</tr></tbody></table>`);
}

function comparisonSection(r: RunResults): string {
  const cmp = r.comparison;
  if (!cmp) return '';
  const row = (c: (typeof cmp.regressions)[number]) => `<li><a href="#case-${esc(c.id)}"><code>${esc(c.id)}</code></a> ${esc(c.before)} → <b>${esc(c.after)}</b>${c.checks.length ? `<div class="dim">${c.checks.map(esc).join('<br>')}</div>` : ''}</li>`;
  return `<section><h2 id="comparison">Since the run of ${esc(cmp.previous.startedAt)}</h2>
<p class="meta">Previous verdict: ${esc(cmp.previous.verdict)} (tool ${esc(cmp.previous.version)}, profile ${esc(cmp.previous.profile)})</p>
<div class="two"><div><h3 data-testid="regressions">Regressions (${cmp.regressions.length})</h3><ul>${cmp.regressions.map(row).join('')}</ul></div>
<div><h3 data-testid="fixes">Fixes (${cmp.fixes.length})</h3><ul>${cmp.fixes.map(row).join('')}</ul></div></div>
${cmp.changed.length ? `<h3>Other changes (${cmp.changed.length})</h3><ul>${cmp.changed.map(row).join('')}</ul>` : ''}
${cmp.added.length ? `<p>New cases: ${cmp.added.map((id) => `<code>${esc(id)}</code>`).join(' ')}</p>` : ''}
${cmp.removed.length ? `<p>Cases no longer in the run: ${cmp.removed.map((id) => `<code>${esc(id)}</code>`).join(' ')}</p>` : ''}
</section>`;
}

function baselineSection(r: RunResults): string {
  const b = r.baseline;
  if (!b) return '';
  const cls = { excused: 'expected-failure', stale: 'fail', expired: 'fail', 'not-run': 'skipped' } as const;
  return `<section><h2 id="baseline">Baseline <code>${esc(b.file)}</code></h2>
<p class="meta">${b.counts.excused} excused · ${b.counts.stale} stale · ${b.counts.expired} expired · ${b.counts['not-run']} not run. Stale and expired entries fail the run.</p>
${b.entries.length ? wide(`<table class="baseline" data-testid="baseline"><thead><tr><th>state</th><th>case</th><th>check</th><th>reason</th><th>expires</th><th>detail</th></tr></thead><tbody>
${b.entries.map((e) => `<tr><td><span class="badge ${cls[e.state]}">${e.state}</span></td><td><a href="#case-${esc(e.case)}"><code>${esc(e.case)}</code></a></td><td>${e.check ? `<code>${esc(e.check)}</code>` : 'all'}</td><td>${esc(e.reason)}</td><td>${esc(e.expires ?? '')}</td><td>${esc(e.detail)}</td></tr>`).join('\n')}
</tbody></table>`) : '<p class="meta">The baseline lists no entries.</p>'}</section>`;
}

function coverageSection(r: RunResults): string {
  const cov = r.coverage;
  if (!cov) return '';
  const pct = (a: number, b: number) => (b ? `${Math.round((100 * a) / b)}%` : '—');
  const ops = Object.entries(cov.parameters.byOperation);
  return `<section><h2 id="coverage">Coverage</h2>
<div class="two"><div data-testid="coverage-requirements"><h3>Requirements catalogue: ${cov.requirements.covered}/${cov.requirements.total} (${pct(cov.requirements.covered, cov.requirements.total)})</h3>
${cov.requirements.missing.length ? `<p>Not evidenced by any case that ran:</p><ul>${cov.requirements.missing.map((id) => `<li><code>${esc(id)}</code>${r.requirements[id] ? ` — ${esc(r.requirements[id].statement)}` : ''}</li>`).join('')}</ul>` : '<p>Every applicable requirement was evidenced.</p>'}</div>
<div data-testid="coverage-parameters"><h3>Request parameters: ${cov.parameters.exercised}/${cov.parameters.documented} (${pct(cov.parameters.exercised, cov.parameters.documented)})</h3>
${ops.length ? wide(`<table><thead><tr><th>operation</th><th>exercised</th><th>not exercised</th></tr></thead><tbody>
${ops.map(([op, p]) => `<tr><th>${esc(op)}<div class="dim">${p!.exercised.length}/${p!.documented.length}</div></th><td>${p!.exercised.map((n) => `<code>${esc(n)}</code>`).join(' ')}</td><td>${p!.missing.map((n) => `<code class="dim">${esc(n)}</code>`).join(' ')}</td></tr>`).join('\n')}
</tbody></table>`) : '<p class="meta">No documented request parameter applies to the operations that ran.</p>'}</div></div></section>`;
}

function checkRow(k: ReportedCheck): string {
  const s = checkStatus(k);
  return `<tr class="check ${s}"><td>${badge(s)}</td><td>${esc(k.level)}</td><td><code>${esc(k.requirement)}</code></td><td><code>${esc(k.check)}</code></td><td>${esc(k.category)}</td><td>${esc(k.message)}</td></tr>`;
}

function caseBlock(c: ReportedCase, r: RunResults): string {
  const s = displayStatus(c);
  const bad = c.checks.filter((k) => k.status === 'fail' || k.status === 'warning' || k.status === 'error');
  const categories = [...new Set(c.checks.map((k) => k.category))].join(' ');
  // A collapsed row names what failed, not only the case's own requirement.
  const why = failingRequirements(c);
  const search = `${c.id} ${c.title} ${c.requirements.join(' ')} ${c.checks.map((k) => k.check).join(' ')}`.toLowerCase();
  return `<details class="case" id="case-${esc(c.id)}" data-status="${s}" data-operation="${esc(c.operation)}" data-level="${c.level}" data-categories="${esc(categories)}" data-search="${esc(search)}">
<summary>${badge(s)} <code>${esc(c.id)}</code> ${esc(c.title)}${why ? ` <span class="why${s === 'warning' ? ' warning' : ''}" data-testid="case-failing">· ${why}</span>` : ''} <span class="dim">· ${why ? '' : `${esc(c.level)} <code>${esc(c.requirement)}</code> · `}${esc(c.operation)} · ${ms(c.durationMs)}</span></summary>
<p class="meta">Seed: ${esc(c.seed)} · case file <code>${esc(c.file)}</code>${c.repeat ? ` · ${c.repeat.passed}/${c.repeat.runs} runs passed (the worst is shown)` : ''}</p>
${c.skipReason ? `<p class="skip">Skipped: ${esc(c.skipReason)}</p>` : ''}${c.runError ? `<p class="skip">${esc(c.runError)}</p>` : ''}${c.notJudged ? `<p class="skip">${esc(c.notJudged)}</p>` : ''}${c.expectedFailure ? `<p class="xfail-note">Expected failure (baseline): ${esc(c.expectedFailure.reasons.join('; '))}</p>` : ''}
${bad.map((k) => `<div class="inline-failure">${badge(checkStatus(k))} <code>${esc(k.check)}</code> — ${esc(k.message)}${renderDiff(k.expected, k.actual, k.status === 'warning' ? 'warning' : 'fail')}</div>`).join('')}
${c.checks.length ? wide(`<table class="checks"><thead><tr><th>status</th><th>level</th><th>requirement</th><th>check</th><th>category</th><th>details</th></tr></thead><tbody>${c.checks.map(checkRow).join('')}</tbody></table>`) : ''}
${curlBlock(c, r)}
${exchangeBlock(c.exchange)}
</details>`;
}

function select(name: string, values: Array<[string, string]>): string {
  return `<label>${name} <select name="${name}" data-testid="filter-${name}"><option value="">all</option>${values.map(([v, label]) => `<option value="${esc(v)}">${esc(label)}</option>`).join('')}</select></label>`;
}

function casesSection(r: RunResults): string {
  const order: Record<DisplayStatus, number> = { fail: 0, error: 1, 'expected-failure': 2, warning: 3, pass: 4, skipped: 5 };
  const cases = [...r.cases].sort((a, b) => order[displayStatus(a)] - order[displayStatus(b)] || a.operation.localeCompare(b.operation) || (a.id < b.id ? -1 : 1));
  const operations = [...new Set(r.cases.map((c) => c.operation))].sort();
  const statuses = (['fail', 'error', 'expected-failure', 'warning', 'pass', 'skipped'] as DisplayStatus[]).filter((s) => r.cases.some((c) => displayStatus(c) === s));
  return `<section><h2 id="cases">Cases (${r.cases.length})</h2>
<div class="filters" data-testid="filters">${select('status', statuses.map((s) => [s, STATUS_LABEL[s]]))}${select('operation', operations.map((o) => [o, o]))}${select('level', LEVELS.map((l) => [l, l]))}${select('category', CATEGORIES.map((c) => [c, c]))}
<label>search <input type="search" name="q" placeholder="case, requirement, check"></label> <span><span id="shown" data-testid="shown">${cases.length}</span> of ${cases.length} shown</span></div>
${cases.map((c) => caseBlock(c, r)).join('\n')}
</section>`;
}

function skippedSection(r: RunResults): string {
  const reasons = skipReasons(r.cases);
  if (!reasons.length) return '';
  return `<section><h2 id="skipped">Skipped cases (${r.summary.skipped})</h2>
<p class="meta">Cases that do not apply to this target, by reason.</p>
${wide(`<table data-testid="skipped"><thead><tr><th>cases</th><th>reason</th><th>which</th></tr></thead><tbody>
${reasons.map((s) => `<tr><td>${s.cases.length}</td><td>${esc(s.reason)}</td><td>${s.cases.map((id) => `<a href="#case-${esc(id)}"><code>${esc(id)}</code></a>`).join(' ')}</td></tr>`).join('\n')}
</tbody></table>`)}</section>`;
}

function timingsSection(r: RunResults): string {
  const { ran, totalMs, perOperation, slowest } = caseTimes(r.cases, 10);
  if (!ran) return '<section><h2 id="timings">Timings</h2><p class="meta">No case ran.</p></section>';
  return `<section><h2 id="timings">Timings</h2>
<p class="meta">Wall time ${ms(r.durationMs)} · time in cases ${ms(totalMs)} (cases run concurrently)</p>
${latencyChart(r)}
<div class="two"><div><h3>Per operation</h3>${wide(`<table><thead><tr><th>operation</th><th>cases</th><th>time</th><th>mean</th></tr></thead><tbody>
${perOperation.map(([op, e]) => `<tr><td>${esc(op)}</td><td>${e.n}</td><td>${ms(e.ms)}</td><td>${ms(e.ms / e.n)}</td></tr>`).join('')}
</tbody></table>`)}</div><div><h3>Slowest cases</h3>${wide(`<table data-testid="slowest"><thead><tr><th>case</th><th>time</th><th>first byte</th><th>response</th></tr></thead><tbody>
${slowest.map((c) => `<tr><td><a href="#case-${esc(c.id)}"><code>${esc(c.id)}</code></a></td><td>${ms(c.durationMs)}</td><td>${ms(c.exchange?.timings.headersMs)}</td><td>${ms(c.exchange?.timings.totalMs)}</td></tr>`).join('')}
</tbody></table>`)}</div></div></section>`;
}

export function renderHtml(r: RunResults): string {
  const s = r.summary;
  const known = r.verdict.exitCode === 0 && !r.verdict.conformant && s.expectedFailures > 0;
  const verdictClass = known ? 'known' : r.verdict.exitCode === 0 ? 'ok' : r.verdict.exitCode === 1 ? 'bad' : 'incomplete';
  const verdictText = known ? 'Not conformant (known failures only)' : r.verdict.exitCode === 0 ? 'Conformant' : r.verdict.exitCode === 1 ? 'Not conformant' : 'Incomplete run';
  const where = `${r.target.emulator ? 'embedded emulator' : esc(r.target.endpoint)}`;
  const shard = r.selection.shard ? ` · shard ${formatShard(r.selection.shard)} (merge the shards for the whole run)` : '';
  const merged = r.merged ? ` · merged from ${r.merged.runs} run(s)${r.merged.shards.some(Boolean) ? ` (shards ${r.merged.shards.map((x) => (x ? formatShard(x) : '—')).join(', ')})` : ''}` : '';
  const filters = Object.entries(r.selection.filters).filter(([, v]) => Array.isArray(v) && v.length).map(([k, v]) => `${k}: ${(v as string[]).join(', ')}`);
  const nav = [
    ['matrix', 'Matrix'],
    ['failures', 'Failures'],
    ...(findingsOf(r).some((f) => f.status === 'warning') ? [['warnings', 'Warnings']] : []),
    ...(r.comparison ? [['comparison', 'Comparison']] : []),
    ...(r.baseline ? [['baseline', 'Baseline']] : []),
    ...(r.coverage ? [['coverage', 'Coverage']] : []),
    ['cases', 'Cases'],
    ...(s.skipped ? [['skipped', 'Skipped']] : []),
    ['timings', 'Timings'],
  ];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<title>${esc(verdictText)} — aoai-conformance — ${esc(r.target.profile)}</title><style>${CSS}</style></head>
<body><header>
<h1>aoai-conformance report</h1>
<div class="verdict ${verdictClass}" data-testid="verdict" data-exit-code="${r.verdict.exitCode}">${esc(verdictText)} — ${esc(r.verdict.reason)}</div>
${headlines(r).map((h) => `<p class="headline" data-testid="headline"><b>${esc(h.text)}</b>${h.curl ? `<br><code>${esc(h.curl)}</code>` : ''}</p>`).join('\n')}
${hintsBox(configHints(r))}
<p>Profile <b>${esc(r.target.profile)}</b> · target <code>${where}</code>${r.target.faults.length ? ` · faults: <code>${esc(r.target.faults.join(', '))}</code>` : ''}${shard}${merged}${filters.length ? ` · selection: ${esc(filters.join('; '))}` : ''} · ${esc(r.startedAt)} → ${esc(r.finishedAt)} · exit code <b>${r.verdict.exitCode}</b> · ${esc(r.tool.name)} ${esc(r.tool.version)}</p>
${levelsTable(r)}
${wide(`<table class="counts" data-testid="summary"><tr><th>planned</th><th>run</th><th>passed</th><th>failed</th>${s.expectedFailures ? '<th>expected failures</th>' : ''}<th>warnings</th><th>skipped</th><th>errors</th><th>checks passed</th><th>checks failed</th><th>wall time</th></tr>
<tr><td>${s.planned}</td><td>${s.run}</td><td>${s.passed}</td><td>${s.failed}</td>${s.expectedFailures ? `<td>${s.expectedFailures}</td>` : ''}<td>${s.warnings}</td><td>${s.skipped}</td><td>${s.errors}</td><td>${s.checks.pass}</td><td>${s.checks.fail}</td><td>${ms(r.durationMs)}</td></tr></table>`)}
${r.runErrors.length ? `<h2>Run errors</h2><ul data-testid="run-errors">${r.runErrors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>` : ''}
<nav>${nav.map(([id, label]) => `<a href="#${id}">${label}</a>`).join(' ')}</nav>
</header><main>
${matrixSection(r)}
${findingsSection(r)}
${comparisonSection(r)}
${baselineSection(r)}
${coverageSection(r)}
${casesSection(r)}
${skippedSection(r)}
${timingsSection(r)}
</main><script>${SCRIPT}</script></body></html>
`;
}
