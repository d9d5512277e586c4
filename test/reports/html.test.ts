/**
 * report.html rendered from built results (no browser): no empty table whatever the run holds, one
 * block per finding, the hints box, the collapsed rows, the charts. The browser test looks at a real run.
 */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../reporters/html.ts';
import { builtRun, type CaseInput } from './built.ts';

/** Each <table> with its rows: a table without a body row is empty. */
const tables = (html: string) => [...html.matchAll(/<table\b[\s\S]*?<\/table>/g)].map((m) => m[0]);
const emptyTables = (html: string) => tables(html).filter((t) => !/<tbody>\s*<tr/.test(t) && (t.match(/<tr/g) ?? []).length < 2);

const pass = (id: string): CaseInput => ({ id, checks: [{ check: 'status', requirement: 'CHAT-200', status: 'pass' }], response: { status: 200 } });

describe('renderHtml', () => {
  it.each([
    ['every case passed, an empty baseline', builtRun([pass('a'), pass('b')], { baseline: { file: 'b.yaml', entries: [] } })],
    ['only skipped cases', builtRun([{ id: 's', skipReason: 'applies to openai, not azure-openai' }])],
    ['no case at all', builtRun([])],
    ['a case that could not be judged', builtRun([{ id: 'e', runError: 'the case never finished' }])],
  ])('no empty table: %s', (_what, r) => {
    const html = renderHtml(r);
    expect(emptyTables(html)).toEqual([]);
  });

  it('one block per cause, the index first; the collapsed row names the failing requirement, not the case\'s own', () => {
    const r = builtRun([
      ...['x', 'y', 'z'].map((id) => ({ id: `chat-${id}`, requirement: 'CHAT-BOUNDS', checks: [{ check: 'status-class', requirement: 'CHAT-BOUNDS', status: 'pass' as const }, { check: 'error-body', requirement: 'ERROR-BODY', status: 'fail' as const, message: `/error/code must be string (got ${id === 'x' ? 400 : 401})` }], response: { status: 400 } })),
      pass('ok'),
    ]);
    const html = renderHtml(r);
    expect(r.findings).toHaveLength(1);
    expect(html.match(/data-testid="finding"/g)).toHaveLength(1);
    expect(html).toContain('Failures: 3 case(s), 1 cause(s)');
    const row = /<details class="case" id="case-chat-x"[\s\S]*?<summary>([\s\S]*?)<\/summary>/.exec(html)![1];
    expect(row).toContain('data-testid="case-failing">· fails <code>ERROR-BODY</code> (error-body)');
    expect(row).not.toContain('CHAT-BOUNDS');
  });

  it('charts as inline SVG: cases per operation and the response-time distribution', () => {
    const html = renderHtml(builtRun([pass('a'), { ...pass('b'), totalMs: 300 }, { ...pass('c'), operation: 'embeddings', totalMs: 4000 }, { id: 'd', checks: [{ check: 'status', requirement: 'R', status: 'fail' }], response: { status: 500 } }]));
    expect(html).toMatch(/data-testid="chart-operations">[\s\S]*?<svg class="bar"[^>]*>[\s\S]*?<rect[^>]*data-status="fail"/);
    expect(html).toMatch(/data-testid="chart-latency"><figcaption>Response times of 4 case\(s\): median 20 ms · p90 4.00 s · max 4.00 s/);
    expect(html).not.toMatch(/<(img|script|link)\b[^>]*\b(src|href)=/);
  });

  it('a configuration hint at the top when an operation answers 404 to every case', () => {
    const missing = (id: string): CaseInput => ({ id, operation: 'embeddings', checks: [{ check: 'status', requirement: 'R', status: 'fail' }], response: { status: 404 } });
    const html = renderHtml(builtRun([missing('e1'), missing('e2'), pass('c')]));
    expect(html).toMatch(/data-testid="hints">[\s\S]*every embeddings request \(2\) answered 404[\s\S]*<pre>deployments:\n {2}embeddings: &lt;embeddings deployment&gt;<\/pre>/);
    expect(html.indexOf('data-testid="hints"')).toBeLessThan(html.indexOf('<main>'));
  });
});
