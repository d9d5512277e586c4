/**
 * report.html: one self-contained file (inline CSS and JS, no external asset) that answers "is this
 * server conformant, and if not, where and why". Every dynamic string goes through escape-html.
 */
import { diffLines } from 'diff';
import escapeHtml from 'escape-html';
import type { CaseResult, CheckResult, Exchange } from '../src/model.ts';
import type { RunResults } from '../src/results.ts';

const esc = (v: unknown): string => escapeHtml(typeof v === 'string' ? v : JSON.stringify(v, null, 2) ?? String(v));

function pretty(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v, null, 2) ?? String(v));
}

/** Expected vs actual as a line diff: removed lines are what was expected, added lines what arrived. */
export function renderDiff(expected: unknown, actual: unknown): string {
  const parts = diffLines(`${pretty(expected)}\n`, `${pretty(actual)}\n`);
  const lines = parts.map((p) => {
    const cls = p.added ? 'add' : p.removed ? 'del' : 'same';
    const sign = p.added ? '+' : p.removed ? '-' : ' ';
    return p.value
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => `<span class="${cls}">${sign} ${escapeHtml(l)}</span>`)
      .join('\n');
  });
  return `<pre class="diff" data-testid="diff">${lines.join('\n')}</pre>`;
}

function exchangeBlock(x: Exchange | undefined): string {
  if (!x) return '';
  const req = x.request;
  const reqBody = req.bodyText ?? (req.body === undefined ? '' : pretty(req.body));
  const res = x.response;
  const resText = res ? `HTTP ${res.status}\n${Object.entries(res.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${res.json !== undefined ? pretty(res.json) : res.bodyText}` : `(no response: ${x.transportError})`;
  return `<details><summary>Request and response (redacted)</summary>
<h4>Request</h4><pre>${esc(`${req.method} ${req.url}\n${Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${reqBody}`)}</pre>
<h4>Response</h4><pre>${esc(resText)}</pre></details>`;
}

function checkRow(k: CheckResult): string {
  return `<tr class="check ${k.status}"><td><span class="badge ${k.status}">${k.status}</span></td><td>${esc(k.level)}</td><td><code>${esc(k.requirement)}</code></td><td><code>${esc(k.check)}</code></td><td>${esc(k.message)}</td></tr>`;
}

function caseBlock(c: CaseResult): string {
  const problems = c.checks.filter((k) => k.status === 'fail' || k.status === 'warning' || k.status === 'error');
  const diffs = problems.map((k) => `<div class="failure"><div><span class="badge ${k.status}">${k.status}</span> <b>${esc(k.level)} <code>${esc(k.requirement)}</code></b> — check <code>${esc(k.check)}</code>: ${esc(k.message)}</div>${renderDiff(k.expected, k.actual)}</div>`).join('');
  return `<section class="case" data-status="${c.status}" data-operation="${esc(c.operation)}" data-level="${c.level}" id="case-${esc(c.id)}">
<h3><span class="badge ${c.status}">${c.status}</span> <code>${esc(c.id)}</code> ${esc(c.title)}</h3>
<p class="meta">${esc(c.level)} <code>${esc(c.requirement)}</code> · seed: ${esc(c.seed)} · case: <code>${esc(c.file)}</code> · ${esc(c.operation)} · ${c.durationMs.toFixed(0)} ms</p>
${c.skipReason ? `<p class="skip">Not applicable: ${esc(c.skipReason)}</p>` : ''}${c.runError ? `<p class="skip">${esc(c.runError)}</p>` : ''}
${diffs}
${c.checks.length ? `<table class="checks"><thead><tr><th>status</th><th>level</th><th>requirement</th><th>check</th><th>details</th></tr></thead><tbody>${c.checks.map(checkRow).join('')}</tbody></table>` : ''}
${exchangeBlock(c.exchange)}
</section>`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}header{background:#fff;border-bottom:1px solid #d0d7de;padding:16px 24px}main{padding:16px 24px}
.verdict{font-size:20px;font-weight:600;padding:10px 14px;border-radius:6px;display:inline-block}.verdict.ok{background:#dafbe1;color:#116329}.verdict.bad{background:#ffebe9;color:#a40e26}.verdict.incomplete{background:#fff8c5;color:#7d4e00}
table{border-collapse:collapse;background:#fff}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
.badge{font-size:12px;font-weight:600;padding:1px 6px;border-radius:10px;text-transform:uppercase}.badge.pass{background:#dafbe1;color:#116329}.badge.fail{background:#ffebe9;color:#a40e26}.badge.warning{background:#fff8c5;color:#7d4e00}.badge.skipped{background:#eaeef2;color:#57606a}.badge.error{background:#fbefff;color:#8250df}
.case{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;margin:10px 0}.case h3{font-size:15px;margin:6px 0}.meta{color:#57606a;margin:2px 0}
pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:420px;white-space:pre-wrap;word-break:break-all}.diff .add{color:#116329;background:#dafbe1;display:block}.diff .del{color:#a40e26;background:#ffebe9;display:block}.diff .same{display:block}
.filters label{margin-right:14px}.hidden{display:none}`;

const SCRIPT = `(()=>{const sel=(n)=>document.querySelector('[name="'+n+'"]');
function apply(){const s=sel('status').value,o=sel('operation').value,l=sel('level').value;let shown=0;
document.querySelectorAll('section.case').forEach(e=>{const ok=(!s||e.dataset.status===s)&&(!o||e.dataset.operation===o)&&(!l||e.dataset.level===l);e.classList.toggle('hidden',!ok);if(ok)shown++;});
document.getElementById('shown').textContent=String(shown);}
document.querySelectorAll('.filters select').forEach(e=>e.addEventListener('change',apply));apply();})();`;

function options(name: string, values: string[]): string {
  return `<label>${name} <select name="${name}"><option value="">all</option>${values.map((v) => `<option>${esc(v)}</option>`).join('')}</select></label>`;
}

export function renderHtml(r: RunResults): string {
  const s = r.summary;
  const verdictClass = r.verdict.exitCode === 0 ? 'ok' : r.verdict.exitCode === 1 ? 'bad' : 'incomplete';
  const verdictText = r.verdict.exitCode === 0 ? 'Conformant' : r.verdict.exitCode === 1 ? 'Not conformant' : 'Incomplete run';
  const order = { fail: 0, error: 1, warning: 2, pass: 3, skipped: 4 } as const;
  const cases = [...r.cases].sort((a, b) => order[a.status] - order[b.status] || a.id.localeCompare(b.id));
  const operations = [...new Set(r.cases.map((c) => c.operation))].sort();
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>aoai-conformance report — ${esc(r.target.profile)}</title><style>${CSS}</style></head>
<body><header>
<h1>aoai-conformance report</h1>
<div class="verdict ${verdictClass}" data-testid="verdict">${verdictText} — ${esc(r.verdict.reason)}</div>
<p>Profile <b>${esc(r.target.profile)}</b> · target <code>${esc(r.target.endpoint)}</code>${r.target.emulator ? ' (embedded emulator)' : ''}${r.target.faults.length ? ` · faults: <code>${esc(r.target.faults.join(', '))}</code>` : ''} · ${esc(r.startedAt)} → ${esc(r.finishedAt)} · exit code ${r.verdict.exitCode}</p>
<table class="summary" data-testid="summary"><tr><th>planned</th><th>run</th><th>passed</th><th>failed</th><th>warnings</th><th>skipped</th><th>errors</th><th>checks passed</th><th>MUST checks failed</th></tr>
<tr><td>${s.planned}</td><td>${s.run}</td><td>${s.passed}</td><td>${s.failed}</td><td>${s.warnings}</td><td>${s.skipped}</td><td>${s.errors}</td><td>${s.checks.pass}</td><td>${s.mustFailures}</td></tr></table>
${r.runErrors.length ? `<h2>Run errors</h2><ul>${r.runErrors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>` : ''}
</header><main>
<div class="filters">${options('status', ['fail', 'error', 'warning', 'pass', 'skipped'])}${options('operation', operations)}${options('level', ['MUST', 'SHOULD', 'MAY'])} <span><span id="shown">${cases.length}</span> case(s) shown</span></div>
${cases.map(caseBlock).join('\n')}
</main><script>${SCRIPT}</script></body></html>
`;
}
