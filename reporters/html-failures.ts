/**
 * report.html's findings: one entry per cause (src/results/findings.ts) — an index table of the causes, then
 * for each its requirement (statement, level, source) and its cases, the first open with the diff,
 * the reproduction and the exchange. Failures, unjudged cases and expected failures first; SHOULD/MAY
 * warnings after. Also the configuration hints box of the page header.
 */
import { type Finding, findingsOf, occurrences } from '../src/results/findings.ts';
import { checkStatus, type ReportedCase, type ReportedCheck, type RunResults } from '../src/results/model.ts';
import { type Hint } from '../src/results/hints.ts';
import { badge, curlBlock, esc, exchangeBlock, renderDiff, wide } from './html-parts.ts';

/** Cards of a finding shown before the rest are folded. */
const FOLD_AFTER = 5;

function seedReference(r: RunResults, requirement: string): string {
  const ref = r.requirements[requirement];
  if (!ref) return '';
  const source = ref.source === 'observed' ? 'observed behaviour (docs/observed-behaviour.md)' : ref.source === 'http' ? 'HTTP semantics' : `seed ${ref.source}`;
  return `<div class="req"><b>${esc(ref.level)} <code>${esc(requirement)}</code></b> — ${esc(ref.statement)}<div class="seed">Source: ${esc(source)} › ${esc(ref.section)}</div>${ref.rationale ? `<div class="seed">Why this level: ${esc(ref.rationale)}</div>` : ''}</div>`;
}

function checkCard(c: ReportedCase, k: ReportedCheck, r: RunResults, open: boolean): string {
  const s = checkStatus(k);
  return `<details class="failure ${s}" data-testid="failure" data-status="${s}" data-operation="${esc(c.operation)}" data-level="${k.level}"${open ? ' open' : ''}>
<summary>${badge(s)} <a href="#case-${esc(c.id)}"><code>${esc(c.id)}</code></a> · <code>${esc(k.check)}</code> · ${esc(c.operation)} — <span class="message">${esc(k.message)}</span></summary>
${k.expectedFailure !== undefined ? `<p class="xfail-note">Expected failure (baseline): ${esc(k.expectedFailure)}</p>` : ''}
<p class="meta">${esc(c.title)} · case file <code>${esc(c.file)}</code> · category ${esc(k.category)}</p>
${renderDiff(k.expected, k.actual, k.status === 'warning' ? 'warning' : 'fail')}
${curlBlock(c, r)}
${exchangeBlock(c.exchange)}
</details>`;
}

function unjudgedCard(c: ReportedCase, r: RunResults, open: boolean): string {
  return `<details class="failure error" data-testid="failure" data-status="error" data-operation="${esc(c.operation)}" data-level="${c.level}"${open ? ' open' : ''}>
<summary>${badge('error')} <a href="#case-${esc(c.id)}"><code>${esc(c.id)}</code></a> could not be judged — <span class="message">${esc(c.notJudged ?? c.runError ?? '')}</span></summary>
${curlBlock(c, r)}
${exchangeBlock(c.exchange)}
</details>`;
}

const title = (f: Finding) => `${f.check ? `<code>${esc(f.check)}</code>: ` : ''}${esc(f.pattern)}`;

function findingBlock(f: Finding, r: RunResults): string {
  const cards = occurrences(f, r.cases).map((o, i) => (o.check ? checkCard(o.case, o.check, r, i === 0) : unjudgedCard(o.case, r, i === 0)));
  // Long findings keep their first few cards in view and fold the rest.
  const shown = cards.slice(0, FOLD_AFTER).join('\n');
  const folded = cards.length > FOLD_AFTER ? `<details class="more"><summary>${cards.length - FOLD_AFTER} more case(s) with this cause</summary>${cards.slice(FOLD_AFTER).join('\n')}</details>` : '';
  return `<div class="group" id="finding-${f.id}" data-testid="finding" data-status="${f.status}" data-requirement="${esc(f.requirement)}">
<h3>${badge(f.status)} <code>${esc(f.requirement)}</code> · ${title(f)} — ${f.cases.length} case(s)</h3>${seedReference(r, f.requirement)}
${shown}${folded}</div>`;
}

function findingsIndex(findings: Finding[], r: RunResults): string {
  const rows = findings.map(
    (f) => `<tr><td>${badge(f.status)}</td><td>${esc(r.requirements[f.requirement]?.level ?? f.level)}</td><td><a href="#finding-${f.id}"><code>${esc(f.requirement)}</code></a></td><td>${title(f)}</td><td>${f.cases.length}</td><td>${f.operations.map(esc).join(', ')}</td></tr>`,
  );
  return wide(`<table class="broken" data-testid="findings"><thead><tr><th></th><th>level</th><th>requirement</th><th>cause</th><th>cases</th><th>operations</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
}

export function findingsSection(r: RunResults): string {
  const all = findingsOf(r);
  const failures = all.filter((f) => f.status !== 'warning');
  const warnings = all.filter((f) => f.status === 'warning');
  const cases = (list: Finding[]) => new Set(list.flatMap((f) => f.cases)).size;
  const real = failures.filter((f) => f.status !== 'expected-failure');
  const expected = failures.length - real.length ? ` · ${cases(failures.filter((f) => f.status === 'expected-failure'))} expected failure(s)` : '';
  const head = failures.length
    ? `<h2 id="failures">Failures: ${real.length ? `${cases(real)} case(s), ${real.length} cause(s)` : 'none outside the baseline'}${expected}</h2><p class="meta">One entry per cause: checks of the same requirement that failed the same way (ids, numbers and quoted values aside) are one finding.</p>${findingsIndex(failures, r)}`
    : '<h2 id="failures">Failures</h2><p class="ok-note" data-testid="no-failures">No MUST requirement failed.</p>';
  const warned = warnings.length
    ? `<h2 id="warnings">SHOULD/MAY warnings: ${cases(warnings)} case(s), ${warnings.length} cause(s)</h2><p class="meta">These do not fail the run.</p>${findingsIndex(warnings, r)}${warnings.map((f) => findingBlock(f, r)).join('\n')}`
    : '';
  return `<section>${head}
${failures.map((f) => findingBlock(f, r)).join('\n')}
${warned}
</section>`;
}

/** The names of the requirements a case fails or warns on, for its collapsed row. */
export function failingRequirements(c: ReportedCase): string {
  const bad = c.checks.filter((k) => k.status === 'fail' || k.status === 'error' || k.status === 'warning');
  if (!bad.length) return c.runError || c.notJudged ? 'not judged' : '';
  const order = { fail: 0, error: 1, warning: 2 } as Record<string, number>;
  const first = new Map<string, ReportedCheck>();
  for (const k of [...bad].sort((a, b) => order[a.status] - order[b.status])) if (!first.has(k.requirement)) first.set(k.requirement, k);
  const named = [...first.values()];
  const verb = (k: ReportedCheck) => (k.status === 'warning' ? 'warns' : k.status === 'error' ? 'not judged' : k.expectedFailure !== undefined ? 'fails (expected)' : 'fails');
  const text = named.slice(0, 2).map((k) => `${verb(k)} <code>${esc(k.requirement)}</code> (${esc(k.check)})`);
  return `${text.join(', ')}${named.length > 2 ? ` +${named.length - 2} more` : ''}`;
}

export function hintsBox(hints: Hint[]): string {
  if (!hints.length) return '';
  return `<div class="hints" data-testid="hints"><b>These look like configuration mistakes, not target failures</b> (<code>--config</code>, docs/target-config.md):<ul>${hints
    .map((h) => `<li>${esc(h.text)}:<pre>${esc(h.config)}</pre></li>`)
    .join('')}</ul></div>`;
}
