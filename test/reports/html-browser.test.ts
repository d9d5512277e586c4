/**
 * report.html as a person sees it: opened from file:// in headless Chromium, after its script ran.
 * The verdict, the matrix, a failure's diff (and its colours), the findings, the charts, the rows and
 * the reproduction are asserted on the rendered DOM, the layout on a phone-sized screen, and the page
 * must request nothing but itself (a control page proves the request log would catch a fetch).
 * .ci/run installs Debian's chromium, so CI always runs this; locally it is skipped only when no
 * Chromium is installed.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/results/model.ts';
import { CHROMIUM, openPage } from './chromium.ts';
import { cli, readResults, tempDir, writeFile } from './support.ts';

if (!CHROMIUM) {
  const message = 'report browser tests: no Chromium installed (apt-get install chromium); .ci/run installs it, so CI runs them';
  if (process.env.CI) throw new Error(`${message} — but this is CI`);
  console.warn(`SKIPPED ${message}`);
}

/** A hang guard per test: a browser start, a page load and a few evaluations, on however loaded a machine. */
const HANG_GUARD_MS = 300_000;

/** Only the document itself (and inline data) may be loaded. */
const isLocal = (url: string) => url.startsWith('file:') || url.startsWith('data:') || url === 'about:blank';

/** Waits for the report's script to have run (polls; the bound is a hang guard of a minute, far above the time it takes). */
const READY = `for (let i = 0; i < 600 && document.body.dataset.ready !== 'true'; i++) await new Promise((r) => setTimeout(r, 100));`;

/** "rgb(164, 14, 38)" → [164, 14, 38]. */
const rgb = (css: string) => (css.match(/\d+/g) ?? []).slice(0, 3).map(Number);
/** An alarm colour: clearly red (or amber), not grey. */
const isAlarm = ([r, g, b]: number[]) => r - Math.min(g, b) > 80;
/** A red tint (a background): warmer than any grey. */
const isAlarmTint = ([r, g, b]: number[]) => r - Math.max(g, b) >= 15;
/** A neutral colour: a grey, whatever its lightness. */
const isNeutral = ([r, g, b]: number[]) => Math.max(r, g, b) - Math.min(r, g, b) < 30;

describe.skipIf(!CHROMIUM)('report.html in headless Chromium', () => {
  let dir: string;
  let results: RunResults;

  beforeAll(async () => {
    dir = tempDir();
    const out = await cli(['run', '--operation', 'chat.completions', '--fault', 'usage-total-wrong', '--fault', 'auth-status-403', '--report-dir', dir]);
    expect(out.code, out.stderr + out.stdout).toBe(1);
    results = readResults(dir);
  }, HANG_GUARD_MS);

  it('renders the verdict, the matrix and a failure diff, filters by status, and requests nothing from the network', async () => {
    const page = await openPage(`${pathToFileURL(join(dir, 'report.html')).href}#status=fail`);
    try {
      const dom = await page.evaluate<{
        ready: string;
        verdict: string;
        exitCode: string;
        levels: Record<string, string>;
        matrixRows: string[];
        semantics: { status: string; text: string } | null;
        failure: { case: string; del: string[]; add: string[] } | null;
        shown: string;
        visibleCases: Array<{ id: string; status: string }>;
      }>(`(async () => {
        for (let i = 0; i < 600 && document.body.dataset.ready !== 'true'; i++) await new Promise((r) => setTimeout(r, 100));
        const q = (s) => document.querySelector(s);
        const cell = q('[data-testid="cell-chat.completions-semantics"]');
        const usage = [...document.querySelectorAll('details[data-testid="failure"]')].find((f) => f.querySelector('summary').textContent.includes('usage-sums'));
        const diff = usage && usage.querySelector('[data-testid="diff"]');
        return {
          ready: document.body.dataset.ready,
          verdict: q('[data-testid="verdict"]').textContent,
          exitCode: q('[data-testid="verdict"]').dataset.exitCode,
          levels: Object.fromEntries(['MUST', 'SHOULD', 'MAY'].map((l) => [l, q('[data-testid="level-' + l + '"] b').textContent])),
          matrixRows: [...document.querySelectorAll('[data-testid="matrix"] tbody th')].map((th) => th.textContent),
          semantics: cell && { status: cell.dataset.status, text: cell.textContent },
          failure: diff && { case: usage.querySelector('summary a code').textContent, del: [...diff.querySelectorAll('.exp')].map((e) => e.textContent), add: [...diff.querySelectorAll('.act')].map((e) => e.textContent) },
          shown: q('[data-testid="shown"]').textContent,
          visibleCases: [...document.querySelectorAll('details.case')].filter((e) => !e.classList.contains('hidden') && e.offsetParent !== null).map((e) => ({ id: e.id, status: e.dataset.status })),
        };
      })()`);

      expect(dom.ready).toBe('true');
      expect(dom.verdict).toContain('Not conformant');
      expect(dom.verdict).toContain(results.verdict.reason);
      expect(dom.exitCode).toBe('1');
      expect(dom.levels.MUST).toBe('broken');
      expect(dom.levels.SHOULD).toBe('warnings');
      expect(dom.matrixRows).toEqual(['chat.completions']);
      // usage-sums is a semantics check: its column is red and counts the failures.
      expect(dom.semantics?.status).toBe('fail');
      expect(dom.semantics?.text).toMatch(/\d+ ✗/);

      expect(dom.failure).not.toBeNull();
      const usageFailure = results.cases.find((c) => c.id === dom.failure!.case)!.checks.find((k) => k.check === 'usage-sums' && k.status === 'fail')!;
      expect(dom.failure!.del.join('\n')).toContain(`- ${String(usageFailure.expected)}`);
      expect(dom.failure!.add.join('\n')).toContain(`+ ${String(usageFailure.actual)}`);

      // #status=fail in the URL applied the filter: only failed cases are visible.
      const failed = results.cases.filter((c) => c.status === 'fail').map((c) => `case-${c.id}`).sort();
      expect(dom.shown).toBe(String(failed.length));
      expect(dom.visibleCases.map((c) => c.id).sort()).toEqual(failed);
      expect(dom.visibleCases.every((c) => c.status === 'fail')).toBe(true);

      expect(page.requests.length).toBeGreaterThan(0);
      expect(page.requests.filter((u) => !isLocal(u))).toEqual([]);
    } finally {
      await page.close();
    }
  }, HANG_GUARD_MS);

  it('shows expected in a neutral colour and actual in an alarm colour, names the failing requirement in each collapsed row, charts the run and says how to restart the emulator', async () => {
    const page = await openPage(pathToFileURL(join(dir, 'report.html')).href);
    try {
      const dom = await page.evaluate<{
        expected: { color: string; background: string };
        actual: { color: string; background: string };
        rows: Array<{ id: string; text: string }>;
        findings: Array<{ requirement: string; status: string }>;
        chart: { rows: string[]; failRects: number; latencyBars: number };
        curl: string;
        tables: number;
        emptyTables: number;
      }>(`(async () => {
        ${READY}
        const usage = [...document.querySelectorAll('details[data-testid="failure"]')].find((f) => f.querySelector('summary').textContent.includes('usage-sums'));
        const style = (e) => ({ color: getComputedStyle(e).color, background: getComputedStyle(e).backgroundColor });
        return {
          expected: style(usage.querySelector('.diff .exp')),
          actual: style(usage.querySelector('.diff .act')),
          rows: [...document.querySelectorAll('details.case')].filter((e) => e.dataset.status === 'fail').map((e) => ({ id: e.id.slice(5), text: e.querySelector('summary').textContent })),
          findings: [...document.querySelectorAll('[data-testid="finding"]')].map((e) => ({ requirement: e.dataset.requirement, status: e.dataset.status })),
          chart: {
            rows: [...document.querySelectorAll('[data-testid="chart-operations"] .bar-row')].map((e) => e.dataset.operation),
            failRects: document.querySelectorAll('[data-testid="chart-operations"] svg rect[data-status="fail"]').length,
            latencyBars: document.querySelectorAll('[data-testid="chart-latency"] svg rect').length,
          },
          curl: usage.querySelector('[data-testid="curl"]').textContent,
          tables: document.querySelectorAll('table').length,
          emptyTables: [...document.querySelectorAll('table')].filter((t) => !t.querySelector('tbody tr, tr + tr')).length,
        };
      })()`);

      expect(isNeutral(rgb(dom.expected.color)), dom.expected.color).toBe(true);
      expect(isNeutral(rgb(dom.expected.background)), dom.expected.background).toBe(true);
      expect(isAlarm(rgb(dom.actual.color)), dom.actual.color).toBe(true);
      expect(isAlarmTint(rgb(dom.actual.background)), dom.actual.background).toBe(true);

      // Each failed case's row names a requirement one of its checks failed, whatever the case's own requirement.
      const failed = results.cases.filter((c) => c.status === 'fail');
      expect(dom.rows.map((row) => row.id).sort()).toEqual(failed.map((c) => c.id).sort());
      for (const row of dom.rows) {
        const c = failed.find((x) => x.id === row.id)!;
        const failing = c.checks.filter((k) => k.status === 'fail').map((k) => k.requirement);
        expect(failing.some((req) => row.text.includes(`fails ${req}`)), `${row.id}: ${row.text}`).toBe(true);
      }

      // One block per cause, as in results.json.
      expect(dom.findings).toEqual(results.findings!.map((f) => ({ requirement: f.requirement, status: f.status })));

      expect(dom.chart.rows).toEqual(['chat.completions']);
      expect(dom.chart.failRects).toBe(1);
      expect(dom.chart.latencyBars).toBeGreaterThan(0);

      const port = new URL(results.target.endpoint).port;
      expect(dom.curl).toContain(`npx aoai-conformance emulator --port ${port} --key "$AZURE_OPENAI_API_KEY" --fault usage-total-wrong --fault auth-status-403 &`);
      expect(dom.curl.indexOf('aoai-conformance emulator')).toBeLessThan(dom.curl.indexOf('curl -sS -X POST'));

      expect(dom.tables).toBeGreaterThan(3);
      expect(dom.emptyTables).toBe(0);
    } finally {
      await page.close();
    }
  }, HANG_GUARD_MS);

  it('is readable on a narrow screen: nothing wider than a phone, even with every section open', async () => {
    const page = await openPage(pathToFileURL(join(dir, 'report.html')).href, { width: 360, height: 740, mobile: true });
    try {
      const layout = await page.evaluate<{ viewport: number; page: number; tooWide: string[] }>(`(async () => {
        ${READY}
        document.querySelectorAll('details').forEach((d) => (d.open = true));
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const viewport = document.documentElement.clientWidth;
        return {
          viewport,
          page: document.documentElement.scrollWidth,
          tooWide: [...document.querySelectorAll('main > section > *, header > *')].filter((e) => e.getBoundingClientRect().right > viewport + 1).map((e) => e.tagName + '.' + e.className),
        };
      })()`);
      expect(layout.viewport).toBe(360);
      expect(layout.tooWide).toEqual([]);
      expect(layout.page).toBeLessThanOrEqual(layout.viewport);
    } finally {
      await page.close();
    }
  }, HANG_GUARD_MS);

  it('would notice a page that fetches something (control)', async () => {
    const control = writeFile(tempDir(), 'control.html', '<!DOCTYPE html><html><body><img src="http://network-probe.invalid/pixel.png"><p>control</p></body></html>');
    const page = await openPage(pathToFileURL(control).href);
    try {
      expect(page.requests.filter((u) => !isLocal(u))).toContain('http://network-probe.invalid/pixel.png');
    } finally {
      await page.close();
    }
  }, HANG_GUARD_MS);

  it('the single-file Allure report requests nothing from the network either', async () => {
    const out = await cli(['report', 'allure', '--report-dir', dir]);
    expect(out.code, out.stderr).toBe(0);
    const page = await openPage(pathToFileURL(join(dir, 'allure-report.html')).href);
    try {
      // The awesome app renders its test tree from the inlined data.
      const text = await page.evaluate<string>(`(async () => {
        for (let i = 0; i < 600 && !document.body.innerText.includes('chat-minimal'); i++) await new Promise((r) => setTimeout(r, 100));
        return document.body.innerText;
      })()`);
      expect(text).toContain('chat-minimal');
      expect(page.requests.filter((u) => !isLocal(u))).toEqual([]);
    } finally {
      await page.close();
    }
  }, HANG_GUARD_MS);
});
