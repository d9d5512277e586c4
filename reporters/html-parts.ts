/**
 * Building blocks of report.html shared by its sections: escaping, status badges, the expected/actual
 * diff, the recorded exchange and the reproduction. Every dynamic string goes through escape-html.
 */
import { diffLines } from 'diff';
import escapeHtml from 'escape-html';
import type { Exchange } from '../src/model.ts';
import type { DisplayStatus, ReportedCase, RunResults } from '../src/results/model.ts';
import { credentialNote, emulatorCommand } from '../src/results/curl.ts';

export const esc = (v: unknown): string => escapeHtml(typeof v === 'string' ? v : (JSON.stringify(v, null, 2) ?? String(v)));

export function pretty(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v, null, 2) ?? String(v));
}

export const STATUS_LABEL: Record<DisplayStatus, string> = { pass: 'pass', fail: 'fail', warning: 'warning', skipped: 'skipped', error: 'error', 'expected-failure': 'expected failure' };
export const badge = (s: DisplayStatus) => `<span class="badge ${s}">${STATUS_LABEL[s]}</span>`;
export const ms = (n: number | undefined) => (n === undefined ? '—' : n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(0)} ms`);

/** A table that scrolls sideways inside its own box, so a narrow screen never scrolls the page. */
export const wide = (table: string) => `<div class="wide">${table}</div>`;

/**
 * Expected vs actual as a line diff: `-` lines are what the contract expects (neutral), `+` lines what
 * the target sent (the alarm colour: red for a failure, amber for a warning).
 */
export function renderDiff(expected: unknown, actual: unknown, tone: 'fail' | 'warning' = 'fail'): string {
  const parts = diffLines(`${pretty(expected)}\n`, `${pretty(actual)}\n`);
  const lines = parts.map((p) => {
    const cls = p.added ? 'act' : p.removed ? 'exp' : 'same';
    const sign = p.added ? '+' : p.removed ? '-' : ' ';
    return p.value
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => `<span class="${cls}">${sign} ${escapeHtml(l)}</span>`)
      .join('');
  });
  // Each line is a block-level span, so no newline between them (it would render as an empty line).
  return `<div class="diff-legend ${tone}"><span class="exp">- expected</span> <span class="act">+ actual</span></div><pre class="diff ${tone}" data-testid="diff">${lines.join('')}</pre>`;
}

export function exchangeBlock(x: Exchange | undefined, open = false): string {
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
    const gap = res.sse?.eventsNotShown;
    const events = (res.sse?.events ?? []).map((e) => `${e.event ? `event: ${e.event}\n` : ''}data: ${e.data}`);
    if (gap) events.splice(gap.from, 0, `… [${gap.count} event(s) not kept in the report]`);
    const stream = res.sse ? `${res.sse.events.length} of ${res.sse.diagnostics.eventCount} event(s) shown; stream end: ${pretty(res.sse.end)}\n\n${events.join('\n\n')}` : undefined;
    responseText = head + (stream ?? (res.json !== undefined ? pretty(res.json) : res.bodyText)) + (res.truncated ? '\n… (truncated)' : '');
  }
  const retries = x.attempts?.length ? `<p class="meta">${x.attempts.length} attempts: ${x.attempts.map((a, n) => `${n + 1}. ${a.status !== undefined ? `HTTP ${a.status}` : esc(a.transportError ?? 'no response')} — ${esc(a.outcome)}`).join('; ')}</p>` : '';
  return `<details class="exchange"${open ? ' open' : ''}><summary>Request and response (redacted) · headers ${ms(x.timings.headersMs)} · total ${ms(x.timings.totalMs)}</summary>${retries}
<div class="two"><div><h4>Request</h4><pre>${esc(requestText)}</pre></div><div><h4>Response</h4><pre>${esc(responseText)}</pre></div></div></details>`;
}

/** The curl command; for an emulator run, preceded by the commands that start the same emulator again. */
export function curlBlock(c: ReportedCase, r: RunResults): string {
  if (!c.reproduce) return '';
  const emulator = emulatorCommand(r.target);
  const text = emulator ? `${emulator}\n\n${c.reproduce.curl}` : c.reproduce.curl;
  const what = emulator ? 'Reproduce: start the same emulator, then curl' : 'Reproduce with curl';
  return `<details class="curl"><summary>${what} (${esc(credentialNote(r.target))})</summary><pre data-testid="curl">${esc(text)}</pre></details>`;
}
