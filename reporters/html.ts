/**
 * report.html: one self-contained file (inline CSS and JS, no external asset, a Content-Security-Policy
 * that forbids any fetch) that answers "is this server conformant, and if not, where and why".
 * Top to bottom: the verdict per level, the failures (requirement, seed, diff, exchange, curl), the
 * operations × categories matrix, comparison and baseline, coverage, every case (filterable), skipped
 * cases, timings. Everything is rendered here; the script only filters. Every dynamic string goes
 * through escape-html.
 */
import { diffLines } from 'diff';
import escapeHtml from 'escape-html';
import { LEVELS, type Exchange, type Level } from '../src/model.ts';
import { CATEGORIES, type Category, displayStatus, type DisplayStatus, type ReportedCase, type ReportedCheck, type RunResults } from '../src/results.ts';
import { formatShard } from '../src/shard.ts';
import { headlines } from './headline.ts';

const esc = (v: unknown): string => escapeHtml(typeof v === 'string' ? v : (JSON.stringify(v, null, 2) ?? String(v)));

function pretty(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v, null, 2) ?? String(v));
}

/** Expected vs actual as a line diff: `-` lines are what was expected, `+` lines what arrived. */
export function renderDiff(expected: unknown, actual: unknown): string {
  const parts = diffLines(`${pretty(expected)}\n`, `${pretty(actual)}\n`);
  const lines = parts.map((p) => {
    const cls = p.added ? 'add' : p.removed ? 'del' : 'same';
    const sign = p.added ? '+' : p.removed ? '-' : ' ';
    return p.value
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => `<span class="${cls}">${sign} ${escapeHtml(l)}</span>`)
      .join('');
  });
  // Each line is a block-level span, so no newline between them (it would render as an empty line).
  return `<div class="diff-legend"><span class="del">- expected</span> <span class="add">+ actual</span></div><pre class="diff" data-testid="diff">${lines.join('')}</pre>`;
}

const STATUS_LABEL: Record<DisplayStatus, string> = { pass: 'pass', fail: 'fail', warning: 'warning', skipped: 'skipped', error: 'error', 'expected-failure': 'expected failure' };
const badge = (s: DisplayStatus) => `<span class="badge ${s}">${STATUS_LABEL[s]}</span>`;
const checkStatus = (k: ReportedCheck): DisplayStatus => (k.status === 'fail' && k.expectedFailure !== undefined ? 'expected-failure' : k.status);
const ms = (n: number | undefined) => (n === undefined ? '—' : n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(0)} ms`);

function seedReference(r: RunResults, requirement: string): string {
  const ref = r.requirements[requirement];
  if (!ref) return '';
  const source = ref.source === 'observed' ? 'observed behaviour (docs/observed-behaviour.md)' : ref.source === 'http' ? 'HTTP semantics' : `seed ${ref.source}`;
  return `<div class="req"><b>${esc(ref.level)} <code>${esc(requirement)}</code></b> — ${esc(ref.statement)}<div class="seed">Source: ${esc(source)} › ${esc(ref.section)}</div>${ref.rationale ? `<div class="seed">Why this level: ${esc(ref.rationale)}</div>` : ''}</div>`;
}

function exchangeBlock(x: Exchange | undefined, open = false): string {
  if (!x) return '';
  const req = x.request;
  const body = req.multipart
    ? `${Object.entries(req.multipart.fields).map(([k, v]) => `${k}=${v}`).join('\n')}\n${Object.entries(req.multipart.files).map(([k, f]) => `${k}=@${f.filename} (${f.contentType}, ${f.bytes} bytes)`).join('\n')}`
    : (req.bodyText ?? (req.body === undefined ? '' : pretty(req.body)));
  const requestText = `${req.method} ${req.url}\n${Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${body}`;
  const res = x.response;
  let responseText = `(no response: ${x.transportError ?? 'unknown'})`;
  if (res) {
    const head = `HTTP ${res.status}\n${Object.entries(res.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n`;
    const stream = res.sse ? `${res.sse.events.length} event(s) shown; stream end: ${pretty(res.sse.end)}\n\n${res.sse.events.map((e) => `${e.event ? `event: ${e.event}\n` : ''}data: ${e.data}`).join('\n\n')}` : undefined;
    responseText = head + (stream ?? (res.json !== undefined ? pretty(res.json) : res.bodyText)) + (res.truncated ? '\n… (truncated)' : '');
  }
  const retries = x.attempts?.length ? `<p class="meta">${x.attempts.length} attempts: ${x.attempts.map((a, i) => `${i + 1}. ${a.status !== undefined ? `HTTP ${a.status}` : esc(a.transportError ?? 'no response')} — ${esc(a.outcome)}`).join('; ')}</p>` : '';
  return `<details class="exchange"${open ? ' open' : ''}><summary>Request and response (redacted) · headers ${ms(x.timings.headersMs)} · total ${ms(x.timings.totalMs)}</summary>${retries}
<div class="two"><div><h4>Request</h4><pre>${esc(requestText)}</pre></div><div><h4>Response</h4><pre>${esc(responseText)}</pre></div></div></details>`;
}

function curlBlock(c: ReportedCase, r: RunResults): string {
  if (!c.reproduce) return '';
  return `<details class="curl"><summary>Reproduce with curl (reads the key from <code>$${esc(r.target.apiKeyEnv)}</code>)</summary><pre data-testid="curl">${esc(c.reproduce.curl)}</pre></details>`;
}

function failureCard(c: ReportedCase, k: ReportedCheck, r: RunResults, open: boolean): string {
  const s = checkStatus(k);
  return `<details class="failure ${s}" data-testid="failure" data-status="${s}" data-operation="${esc(c.operation)}" data-level="${k.level}"${open ? ' open' : ''}>
<summary>${badge(s)} <a href="#case-${esc(c.id)}"><code>${esc(c.id)}</code></a> · <code>${esc(k.check)}</code> · ${esc(c.operation)} — <span class="message">${esc(k.message)}</span></summary>
${k.expectedFailure !== undefined ? `<p class="xfail-note">Expected failure (baseline): ${esc(k.expectedFailure)}</p>` : ''}
<p class="meta">${esc(c.title)} · case file <code>${esc(c.file)}</code> · category ${esc(k.category)}</p>
${renderDiff(k.expected, k.actual)}
${curlBlock(c, r)}
${exchangeBlock(c.exchange)}
</details>`;
}

/** Failures grouped by requirement (MUST first, then the most widespread): each group's first failure open. */
function failureGroups(items: Array<readonly [ReportedCase, ReportedCheck]>, r: RunResults, idPrefix: string): string {
  const groups = new Map<string, Array<readonly [ReportedCase, ReportedCheck]>>();
  for (const item of items) groups.set(item[1].requirement, [...(groups.get(item[1].requirement) ?? []), item]);
  const rank = (list: Array<readonly [ReportedCase, ReportedCheck]>) => (list.every(([, k]) => k.expectedFailure !== undefined) ? 1 : 0);
  const ordered = [...groups].sort(([a, x], [b, y]) => rank(x) - rank(y) || LEVEL_RANK[x[0][1].level] - LEVEL_RANK[y[0][1].level] || y.length - x.length || (a < b ? -1 : 1));
  const index = ordered.map(([requirement, list]) => {
    const [c, k] = list[0];
    const level = r.requirements[requirement]?.level ?? k.level;
    const xfail = list.every(([, x]) => x.expectedFailure !== undefined);
    return `<tr><td>${badge(xfail ? 'expected-failure' : k.status)}</td><td>${esc(level)}</td><td><a href="#${idPrefix}-${esc(requirement)}"><code>${esc(requirement)}</code></a></td><td>${new Set(list.map(([x]) => x.id)).size}</td><td>${esc(c.operation)}: ${esc(k.message)}</td></tr>`;
  });
  const sections = ordered
    .map(([requirement, list]) => {
      const cases = new Set(list.map(([c]) => c.id)).size;
      const cards = list.map(([c, k], i) => failureCard(c, k, r, i === 0));
      // Long groups keep their first few cards in view and fold the rest.
      const shown = cards.slice(0, FOLD_AFTER).join('\n');
      const folded = cards.length > FOLD_AFTER ? `<details class="more"><summary>${cards.length - FOLD_AFTER} more failure(s) of <code>${esc(requirement)}</code></summary>${cards.slice(FOLD_AFTER).join('\n')}</details>` : '';
      return `<div class="group" id="${idPrefix}-${esc(requirement)}" data-testid="failure-group"><h3><code>${esc(requirement)}</code> — ${list.length} check(s) in ${cases} case(s)</h3>${seedReference(r, requirement)}
${shown}${folded}</div>`;
    })
    .join('\n');
  return `<table class="broken" data-testid="broken-requirements"><thead><tr><th></th><th>level</th><th>requirement</th><th>cases</th><th>first failure</th></tr></thead><tbody>${index.join('')}</tbody></table>
${sections}`;
}

const FOLD_AFTER = 5;
const LEVEL_RANK: Record<Level, number> = { MUST: 0, SHOULD: 1, MAY: 2 };

function failuresSection(r: RunResults): string {
  const entries = r.cases.flatMap((c) => c.checks.filter((k) => k.status === 'fail' || k.status === 'error').map((k) => [c, k] as const));
  const warnings = r.cases.flatMap((c) => c.checks.filter((k) => k.status === 'warning').map((k) => [c, k] as const));
  const unjudged = r.cases.filter((c) => c.status === 'error' && (c.runError || c.notJudged));
  const head = entries.length || unjudged.length ? `<h2 id="failures">Failures (${entries.length + unjudged.length})</h2>` : '<h2 id="failures">Failures</h2><p class="ok-note" data-testid="no-failures">No MUST requirement failed.</p>';
  return `<section>${head}
${unjudged.map((c) => `<div class="failure error" data-testid="failure"><h3>${badge('error')} <a href="#case-${esc(c.id)}"><code>${esc(c.id)}</code></a> could not be judged</h3><p class="message">${esc(c.notJudged ?? c.runError)}</p></div>`).join('\n')}
${failureGroups(entries, r, 'failed')}
${warnings.length ? `<h2 id="warnings">SHOULD/MAY warnings (${warnings.length})</h2><p class="meta">These do not fail the run.</p>${failureGroups(warnings, r, 'warned')}` : ''}
</section>`;
}

type Cell = { pass: number; fail: number; xfail: number; warning: number; skipped: number; error: number };

function matrixSection(r: RunResults): string {
  const operations = [...new Set(r.cases.map((c) => c.operation))].sort();
  const cells = new Map<string, Cell>();
  for (const c of r.cases) {
    for (const k of c.checks) {
      const key = `${c.operation}|${k.category}`;
      const cell = cells.get(key) ?? { pass: 0, fail: 0, xfail: 0, warning: 0, skipped: 0, error: 0 };
      if (checkStatus(k) === 'expected-failure') cell.xfail++;
      else cell[k.status]++;
      cells.set(key, cell);
    }
  }
  const cellHtml = (op: string, cat: Category) => {
    const cell = cells.get(`${op}|${cat}`);
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
  return `<section><h2 id="matrix">Operations × categories</h2>
<p class="meta">Checks per operation and part of the contract (✓ passed, ✗ failed, ⚠ SHOULD/MAY warning, – not evaluated). Click a cell to list its cases.</p>
<table class="matrix" data-testid="matrix"><thead><tr><th>operation</th>${CATEGORIES.map((c) => `<th>${c}</th>`).join('')}</tr></thead>
<tbody>${operations.map((op) => `<tr><th>${esc(op)}</th>${CATEGORIES.map((cat) => cellHtml(op, cat)).join('')}</tr>`).join('\n')}</tbody></table></section>`;
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
  return `<table class="levels" data-testid="levels"><thead><tr><th>profile</th>${LEVELS.map((l) => `<th>${l}</th>`).join('')}</tr></thead>
<tbody><tr><th>${esc(r.target.profile)}</th>${LEVELS.map(cell).join('')}</tr></tbody></table>`;
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
<table class="baseline" data-testid="baseline"><thead><tr><th>state</th><th>case</th><th>check</th><th>reason</th><th>expires</th><th>detail</th></tr></thead><tbody>
${b.entries.map((e) => `<tr><td><span class="badge ${cls[e.state]}">${e.state}</span></td><td><a href="#case-${esc(e.case)}"><code>${esc(e.case)}</code></a></td><td>${e.check ? `<code>${esc(e.check)}</code>` : 'all'}</td><td>${esc(e.reason)}</td><td>${esc(e.expires ?? '')}</td><td>${esc(e.detail)}</td></tr>`).join('\n')}
</tbody></table></section>`;
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
<table><thead><tr><th>operation</th><th>exercised</th><th>not exercised</th></tr></thead><tbody>
${ops.map(([op, p]) => `<tr><th>${esc(op)}<div class="dim">${p!.exercised.length}/${p!.documented.length}</div></th><td>${p!.exercised.map((n) => `<code>${esc(n)}</code>`).join(' ')}</td><td>${p!.missing.map((n) => `<code class="dim">${esc(n)}</code>`).join(' ')}</td></tr>`).join('\n')}
</tbody></table></div></div></section>`;
}

function checkRow(k: ReportedCheck): string {
  const s = checkStatus(k);
  return `<tr class="check ${s}"><td>${badge(s)}</td><td>${esc(k.level)}</td><td><code>${esc(k.requirement)}</code></td><td><code>${esc(k.check)}</code></td><td>${esc(k.category)}</td><td>${esc(k.message)}</td></tr>`;
}

function caseBlock(c: ReportedCase, r: RunResults): string {
  const s = displayStatus(c);
  const bad = c.checks.filter((k) => k.status === 'fail' || k.status === 'warning' || k.status === 'error');
  const categories = [...new Set(c.checks.map((k) => k.category))].join(' ');
  const search = `${c.id} ${c.title} ${c.requirements.join(' ')} ${c.checks.map((k) => k.check).join(' ')}`.toLowerCase();
  return `<details class="case" id="case-${esc(c.id)}" data-status="${s}" data-operation="${esc(c.operation)}" data-level="${c.level}" data-categories="${esc(categories)}" data-search="${esc(search)}">
<summary>${badge(s)} <code>${esc(c.id)}</code> ${esc(c.title)} <span class="dim">· ${esc(c.level)} <code>${esc(c.requirement)}</code> · ${esc(c.operation)} · ${ms(c.durationMs)}</span></summary>
<p class="meta">Seed: ${esc(c.seed)} · case file <code>${esc(c.file)}</code>${c.repeat ? ` · ${c.repeat.passed}/${c.repeat.runs} runs passed (the worst is shown)` : ''}</p>
${c.skipReason ? `<p class="skip">Skipped: ${esc(c.skipReason)}</p>` : ''}${c.runError ? `<p class="skip">${esc(c.runError)}</p>` : ''}${c.notJudged ? `<p class="skip">${esc(c.notJudged)}</p>` : ''}${c.expectedFailure ? `<p class="xfail-note">Expected failure (baseline): ${esc(c.expectedFailure.reasons.join('; '))}</p>` : ''}
${bad.map((k) => `<div class="inline-failure">${badge(checkStatus(k))} <code>${esc(k.check)}</code> — ${esc(k.message)}${renderDiff(k.expected, k.actual)}</div>`).join('')}
${c.checks.length ? `<table class="checks"><thead><tr><th>status</th><th>level</th><th>requirement</th><th>check</th><th>category</th><th>details</th></tr></thead><tbody>${c.checks.map(checkRow).join('')}</tbody></table>` : ''}
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
  const skipped = r.cases.filter((c) => c.status === 'skipped');
  if (!skipped.length) return '';
  return `<section><h2 id="skipped">Skipped cases (${skipped.length})</h2>
<table data-testid="skipped"><thead><tr><th>case</th><th>operation</th><th>level</th><th>reason</th></tr></thead><tbody>
${skipped.map((c) => `<tr><td><a href="#case-${esc(c.id)}"><code>${esc(c.id)}</code></a></td><td>${esc(c.operation)}</td><td>${esc(c.level)}</td><td>${esc(c.skipReason ?? '')}</td></tr>`).join('\n')}
</tbody></table></section>`;
}

function timingsSection(r: RunResults): string {
  const ran = r.cases.filter((c) => c.status !== 'skipped');
  const slowest = [...ran].sort((a, b) => b.durationMs - a.durationMs).slice(0, 10);
  const perOp = new Map<string, { n: number; ms: number }>();
  for (const c of ran) {
    const e = perOp.get(c.operation) ?? { n: 0, ms: 0 };
    e.n++;
    e.ms += c.durationMs;
    perOp.set(c.operation, e);
  }
  return `<section><h2 id="timings">Timings</h2>
<p class="meta">Wall time ${ms(r.durationMs)} · time in cases ${ms(ran.reduce((t, c) => t + c.durationMs, 0))} (cases run concurrently)</p>
<div class="two"><div><h3>Per operation</h3><table><thead><tr><th>operation</th><th>cases</th><th>time</th><th>mean</th></tr></thead><tbody>
${[...perOp].sort(([a], [b]) => a.localeCompare(b)).map(([op, e]) => `<tr><td>${esc(op)}</td><td>${e.n}</td><td>${ms(e.ms)}</td><td>${ms(e.ms / e.n)}</td></tr>`).join('')}
</tbody></table></div><div><h3>Slowest cases</h3><table data-testid="slowest"><thead><tr><th>case</th><th>time</th><th>first byte</th><th>response</th></tr></thead><tbody>
${slowest.map((c) => `<tr><td><a href="#case-${esc(c.id)}"><code>${esc(c.id)}</code></a></td><td>${ms(c.durationMs)}</td><td>${ms(c.exchange?.timings.headersMs)}</td><td>${ms(c.exchange?.timings.totalMs)}</td></tr>`).join('')}
</tbody></table></div></div></section>`;
}

const CSS = `:root{color-scheme:light}body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}header{background:#fff;border-bottom:1px solid #d0d7de;padding:16px 24px}main{padding:8px 24px 40px;max-width:1400px}
h1{font-size:20px;margin:0 0 10px}h2{font-size:17px;margin:22px 0 8px}h3{font-size:14px;margin:6px 0}nav{margin-top:10px}nav a{margin-right:14px}
.headline{background:#fff8c5;border-left:4px solid #9a6700;padding:8px 12px;margin:8px 0}.headline code{white-space:pre-wrap;word-break:break-all}
.verdict{font-size:20px;font-weight:600;padding:10px 14px;border-radius:6px;display:inline-block}.verdict.ok{background:#dafbe1;color:#116329}.verdict.bad{background:#ffebe9;color:#a40e26}.verdict.incomplete{background:#fff8c5;color:#7d4e00}.verdict.known{background:#fff1e5;color:#953800}
table{border-collapse:collapse;background:#fff;margin:4px 0}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
.counts td{text-align:right;min-width:60px}.dim{color:#57606a;font-size:12px;font-weight:normal}
.badge{font-size:11px;font-weight:600;padding:1px 6px;border-radius:10px;text-transform:uppercase;white-space:nowrap}.badge.pass{background:#dafbe1;color:#116329}.badge.fail{background:#ffebe9;color:#a40e26}.badge.warning{background:#fff8c5;color:#7d4e00}.badge.skipped{background:#eaeef2;color:#57606a}.badge.error{background:#fbefff;color:#8250df}.badge.expected-failure{background:#fff1e5;color:#953800}
.lv.pass{background:#dafbe1}.lv.fail{background:#ffebe9}.lv.warning{background:#fff8c5}.lv.untested{background:#eaeef2}
.matrix td.cell{text-align:center;white-space:nowrap}.matrix td a{color:inherit;text-decoration:none;display:block}.cell.pass{background:#dafbe1}.cell.fail{background:#ffcecb}.cell.warning{background:#fff8c5}.cell.expected-failure{background:#fff1e5}.cell.none{color:#8c959f}.cell.skipped{background:#eaeef2}
.group{margin:14px 0}.more>summary{cursor:pointer;color:#57606a;margin:4px 0}.broken td:last-child{max-width:700px}.failure{background:#fff;border:1px solid #d0d7de;border-left:4px solid #cf222e;border-radius:6px;padding:6px 14px;margin:6px 0}.failure>summary{cursor:pointer}.failure.warning{border-left-color:#bf8700}.failure.expected-failure{border-left-color:#bc4c00}.failure.error{border-left-color:#8250df}
.req{background:#fff;border:1px solid #d0d7de;padding:6px 10px;border-radius:4px}.seed{color:#57606a;font-size:12px}.message{font-weight:600}.xfail-note{color:#953800}
.case{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:6px 14px;margin:6px 0}.case>summary{cursor:pointer}.meta{color:#57606a;margin:4px 0}.skip{color:#57606a}
pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:420px;white-space:pre-wrap;word-break:break-all;margin:4px 0}.diff .add{color:#116329;background:#dafbe1;display:block}.diff .del{color:#a40e26;background:#ffebe9;display:block}.diff .same{display:block}.diff-legend{font-size:12px}.diff-legend .add{color:#116329}.diff-legend .del{color:#a40e26}
.two{display:grid;grid-template-columns:1fr 1fr;gap:12px}.two>div{min-width:0}.filters{position:sticky;top:0;background:#f6f8fa;padding:8px 0;z-index:1}.filters label{margin-right:14px}.hidden{display:none}.ok-note{color:#116329}`;

/** Filters: status, operation, level, category and text; kept in the URL hash so a filtered view can be linked. */
const SCRIPT = `(()=>{const names=['status','operation','level','category','q'];const field=(n)=>document.querySelector('.filters [name="'+n+'"]');
function apply(){const v={};names.forEach(n=>v[n]=field(n).value.trim());let shown=0;
document.querySelectorAll('details.case').forEach(e=>{const d=e.dataset;const ok=(!v.status||d.status===v.status)&&(!v.operation||d.operation===v.operation)&&(!v.level||d.level===v.level)&&(!v.category||d.categories.split(' ').includes(v.category))&&(!v.q||d.search.includes(v.q.toLowerCase()));e.classList.toggle('hidden',!ok);if(ok)shown++;});
document.querySelectorAll('[data-testid="failure"]').forEach(e=>{const d=e.dataset;const ok=(!v.status||!d.status||d.status===v.status)&&(!v.operation||!d.operation||d.operation===v.operation)&&(!v.level||!d.level||d.level===v.level);e.classList.toggle('hidden',!ok);});
document.getElementById('shown').textContent=String(shown);const h=names.filter(n=>v[n]).map(n=>n+'='+encodeURIComponent(v[n])).join('&');if(h||location.hash.includes('='))history.replaceState(null,'',h?'#'+h:location.pathname);}
function fromHash(){const p=new URLSearchParams(location.hash.slice(1));let any=false;names.forEach(n=>{if(p.has(n)){field(n).value=p.get(n);any=true;}});return any;}
names.forEach(n=>{field(n).addEventListener(n==='q'?'input':'change',apply);});
document.querySelectorAll('[data-filter-operation]').forEach(a=>a.addEventListener('click',()=>{names.forEach(n=>field(n).value='');field('operation').value=a.dataset.filterOperation;field('category').value=a.dataset.filterCategory;apply();}));
if(location.hash.includes('='))fromHash();apply();document.body.dataset.ready='true';})();`;

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
<p>Profile <b>${esc(r.target.profile)}</b> · target <code>${where}</code>${r.target.faults.length ? ` · faults: <code>${esc(r.target.faults.join(', '))}</code>` : ''}${shard}${merged}${filters.length ? ` · selection: ${esc(filters.join('; '))}` : ''} · ${esc(r.startedAt)} → ${esc(r.finishedAt)} · exit code <b>${r.verdict.exitCode}</b> · ${esc(r.tool.name)} ${esc(r.tool.version)}</p>
${levelsTable(r)}
<table class="counts" data-testid="summary"><tr><th>planned</th><th>run</th><th>passed</th><th>failed</th>${s.expectedFailures ? '<th>expected failures</th>' : ''}<th>warnings</th><th>skipped</th><th>errors</th><th>checks passed</th><th>checks failed</th><th>wall time</th></tr>
<tr><td>${s.planned}</td><td>${s.run}</td><td>${s.passed}</td><td>${s.failed}</td>${s.expectedFailures ? `<td>${s.expectedFailures}</td>` : ''}<td>${s.warnings}</td><td>${s.skipped}</td><td>${s.errors}</td><td>${s.checks.pass}</td><td>${s.checks.fail}</td><td>${ms(r.durationMs)}</td></tr></table>
${r.runErrors.length ? `<h2>Run errors</h2><ul data-testid="run-errors">${r.runErrors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>` : ''}
<nav>${nav.map(([id, label]) => `<a href="#${id}">${label}</a>`).join('')}</nav>
</header><main>
${matrixSection(r)}
${failuresSection(r)}
${comparisonSection(r)}
${baselineSection(r)}
${coverageSection(r)}
${casesSection(r)}
${skippedSection(r)}
${timingsSection(r)}
</main><script>${SCRIPT}</script></body></html>
`;
}
