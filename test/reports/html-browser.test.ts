/**
 * report.html as a person sees it: opened from file:// in headless Chromium, after its script ran.
 * The verdict, the matrix and a failure's diff are asserted on the rendered DOM, and the page must
 * request nothing but itself (a control page proves the request log would catch a fetch).
 * .ci/run installs Debian's chromium, so CI always runs this; locally it is skipped only when no
 * Chromium is installed.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/results.ts';
import { CHROMIUM, openPage } from './chromium.ts';
import { cli, readResults, tempDir, writeFile } from './support.ts';

if (!CHROMIUM) {
  const message = 'report browser tests: no Chromium installed (apt-get install chromium); .ci/run installs it, so CI runs them';
  if (process.env.CI) throw new Error(`${message} — but this is CI`);
  console.warn(`SKIPPED ${message}`);
}

/** Only the document itself (and inline data) may be loaded. */
const isLocal = (url: string) => url.startsWith('file:') || url.startsWith('data:') || url === 'about:blank';

describe.skipIf(!CHROMIUM)('report.html in headless Chromium', () => {
  let dir: string;
  let results: RunResults;

  beforeAll(async () => {
    dir = tempDir();
    const out = await cli(['run', '--operation', 'chat.completions', '--fault', 'usage-total-wrong', '--fault', 'auth-status-403', '--report-dir', dir]);
    expect(out.code, out.stderr + out.stdout).toBe(1);
    results = readResults(dir);
  }, 120_000);

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
        failure: { del: string[]; add: string[] } | null;
        shown: string;
        visibleCases: Array<{ id: string; status: string }>;
      }>(`(async () => {
        for (let i = 0; i < 50 && document.body.dataset.ready !== 'true'; i++) await new Promise((r) => setTimeout(r, 100));
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
          failure: diff && { del: [...diff.querySelectorAll('.del')].map((e) => e.textContent), add: [...diff.querySelectorAll('.add')].map((e) => e.textContent) },
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

      const usageFailure = results.cases.flatMap((c) => c.checks).find((k) => k.check === 'usage-sums' && k.status === 'fail')!;
      expect(dom.failure).not.toBeNull();
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
  }, 90_000);

  it('would notice a page that fetches something (control)', async () => {
    const control = writeFile(tempDir(), 'control.html', '<!DOCTYPE html><html><body><img src="http://network-probe.invalid/pixel.png"><p>control</p></body></html>');
    const page = await openPage(pathToFileURL(control).href);
    try {
      expect(page.requests.filter((u) => !isLocal(u))).toContain('http://network-probe.invalid/pixel.png');
    } finally {
      await page.close();
    }
  }, 60_000);

  it('the single-file Allure report requests nothing from the network either', async () => {
    const out = await cli(['report', 'allure', '--report-dir', dir]);
    expect(out.code, out.stderr).toBe(0);
    const page = await openPage(pathToFileURL(join(dir, 'allure-report.html')).href);
    try {
      // The awesome app renders its test tree from the inlined data.
      const text = await page.evaluate<string>(`(async () => {
        for (let i = 0; i < 100 && !document.body.innerText.includes('chat-minimal'); i++) await new Promise((r) => setTimeout(r, 100));
        return document.body.innerText;
      })()`);
      expect(text).toContain('chat-minimal');
      expect(page.requests.filter((u) => !isLocal(u))).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);
});
