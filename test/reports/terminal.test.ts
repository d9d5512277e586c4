/**
 * The terminal that explains: the summary groups failures by requirement and cause (the first case in
 * full, with its reproduction), says why cases were skipped in one line per reason, points at
 * configuration mistakes, colours by the usual conventions; the progress line has an ETA.
 */
import { describe, expect, it } from 'vitest';
import { colourWanted } from '../../reporters/colour.ts';
import { configHints } from '../../src/results/hints.ts';
import { formatDuration, Progress } from '../../reporters/progress.ts';
import { renderSummary } from '../../reporters/summary.ts';
import { builtRun, type CaseInput } from './built.ts';

const ESC = '\x1b[';

const usage = (id: string, total: number): CaseInput => ({
  id,
  requirement: 'USAGE-TOTAL',
  checks: [
    { check: 'status', requirement: 'CHAT-200', status: 'pass' },
    { check: 'usage-sums', requirement: 'USAGE-TOTAL', status: 'fail', message: `total_tokens ${total + 1} ≠ prompt_tokens ${total - 3} + completion_tokens 3`, expected: `total_tokens = ${total}`, actual: `total_tokens = ${total + 1}` },
  ],
  response: { status: 200 },
});

function summaryOf(cases: CaseInput[], opts: Parameters<typeof builtRun>[1] = {}): string {
  return renderSummary(builtRun(cases, opts), '/tmp/report', [], { colour: false });
}

describe('renderSummary', () => {
  const cases: CaseInput[] = [
    ...Array.from({ length: 12 }, (_, i) => usage(`chat-usage-${i}`, 10 + i)),
    { id: 'chat-auth-wrong', checks: [{ check: 'status', requirement: 'AUTH-401', status: 'fail', message: 'status 403, expected 401', expected: 401, actual: 403 }], response: { status: 403 } },
    { id: 'chat-auth-missing', checks: [{ check: 'status', requirement: 'AUTH-401', status: 'fail', message: 'status 500, expected 401', expected: 401, actual: 500 }], response: { status: 500 } },
    { id: 'chat-error-message', checks: [{ check: 'error-message', requirement: 'ERROR-MESSAGE', status: 'warning', message: 'error.message is absent' }], response: { status: 400 } },
    ...['a', 'b', 'c'].map((x) => ({ id: `mi-${x}`, skipReason: 'applies to model-inference, not azure-openai' })),
    { id: 'chat-stream-include-usage', skipReason: 'applies to openai, not azure-openai' },
  ];

  it('one line per requirement with its count, then the first case with expected, actual and its curl', () => {
    const text = summaryOf(cases);
    const lines = text.split('\n');
    const usageLine = lines.filter((l) => l.includes('USAGE-TOTAL') && l.includes('✗'));
    expect(usageLine).toEqual(['  ✗ USAGE-TOTAL MUST · 12 cases · usage-sums: total_tokens N ≠ prompt_tokens N + completion_tokens N']);
    const at = lines.indexOf(usageLine[0]);
    expect(lines[at + 1]).toMatch(/first: chat-usage-\d+ \(chat\.completions\) — total_tokens \d+ ≠ prompt_tokens \d+ \+ completion_tokens 3/);
    expect(lines[at + 2]).toMatch(/expected: total_tokens = \d+$/);
    expect(lines[at + 3]).toMatch(/actual: +total_tokens = \d+$/);
    expect(lines[at + 4]).toContain('reproduce:');
    expect(lines[at + 5]).toContain("curl -sS -X POST 'http://127.0.0.1:40123/");
    // Not one line per case: apart from its curl, no other line names the other eleven.
    expect(lines.filter((l) => /chat-usage-\d+/.test(l) && !l.includes('--data-raw'))).toHaveLength(1);
    expect(text).toContain('Failures: 14 cases, 2 requirements, 3 causes');
  });

  it('a requirement broken in two ways: one line with its count, then each cause', () => {
    const lines = summaryOf(cases).split('\n');
    const at = lines.findIndex((l) => l.includes('✗ AUTH-401'));
    expect(lines[at]).toBe('  ✗ AUTH-401 MUST · 2 cases, 2 causes');
    const causes = lines.slice(at + 1).filter((l) => l.startsWith('    · '));
    expect(causes.slice(0, 2)).toEqual(['    · status: status 403, expected 401 (1 case)', '    · status: status 500, expected 401 (1 case)']);
  });

  it('warnings in one line per cause, skipped cases in one line per reason', () => {
    const text = summaryOf(cases);
    expect(text).toContain('Warnings (SHOULD/MAY: they do not fail the run): 1 case, 1 requirement, 1 cause');
    expect(text).toContain('⚠ ERROR-MESSAGE SHOULD · 1 case · error-message: error.message is absent');
    expect(text).toContain('Skipped: 4 cases, by reason\n    3  applies to model-inference, not azure-openai\n    1  applies to openai, not azure-openai');
  });

  it('an emulator run says once how to start the same emulator with the same faults', () => {
    const text = summaryOf(cases, { emulator: true, faults: ['usage-total-wrong', 'auth-status-403'] });
    expect(text.match(/npx aoai-conformance emulator --port 40123 --key "\$AZURE_OPENAI_API_KEY" --fault usage-total-wrong --fault auth-status-403 &/g)).toHaveLength(1);
    expect(text.indexOf('aoai-conformance emulator')).toBeLessThan(text.indexOf("curl -sS -X POST"));
    expect(summaryOf(cases)).not.toContain('aoai-conformance emulator');
  });

  it('expected failures are listed with their reason, apart from the failures', () => {
    const text = summaryOf([usage('chat-usage-1', 10)], { baseline: { file: 'b.yaml', entries: [{ case: 'chat-usage-1', reason: 'vendor ticket 7' }] } });
    expect(text).not.toContain('Failures:');
    expect(text).toContain('XFAIL USAGE-TOTAL MUST · 1 case · usage-sums: total_tokens N ≠ prompt_tokens N + completion_tokens N (expected: vendor ticket 7)');
  });

  it('colour only when asked: no escape codes in plain text, and codes when on', () => {
    const r = builtRun(cases);
    expect(renderSummary(r, '/tmp/report', [], { colour: false })).not.toContain(ESC);
    const coloured = renderSummary(r, '/tmp/report', [], { colour: true });
    expect(coloured).toContain(`${ESC}31m✗${ESC}39m`);
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(renderSummary(r, '/tmp/report', [], { colour: false }));
  });
});

describe('colourWanted', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it.each([
    [tty, {}, true],
    [pipe, {}, false],
    [tty, { NO_COLOR: '1' }, false],
    [tty, { NO_COLOR: '' }, true],
    [tty, { TERM: 'dumb' }, false],
    [pipe, { FORCE_COLOR: '1' }, true],
    [pipe, { FORCE_COLOR: '' }, true],
    [tty, { FORCE_COLOR: '0' }, false],
    [tty, { FORCE_COLOR: 'false' }, false],
    [pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
  ] as const)('%o with %o → %s', (stream, env, on) => {
    expect(colourWanted(stream, env as NodeJS.ProcessEnv)).toBe(on);
  });
});

describe('configHints', () => {
  it('an operation that answers 404 to every case: name its deployment in the target config', () => {
    const r = builtRun([
      { id: 'e1', operation: 'embeddings', checks: [{ check: 'status', requirement: 'R', status: 'fail' }], response: { status: 404, json: { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist.' } } } },
      { id: 'e2', operation: 'embeddings', checks: [{ check: 'status', requirement: 'R', status: 'fail' }], response: { status: 404 } },
      { id: 'c1', checks: [{ check: 'status', requirement: 'R', status: 'pass' }], response: { status: 200 } },
      { id: 'c2', checks: [{ check: 'status', requirement: 'R', status: 'pass' }], response: { status: 404 } },
    ]);
    const hints = configHints(r);
    expect(hints).toHaveLength(1);
    expect(hints[0]).toMatchObject({ operation: 'embeddings', config: 'deployments:\n  embeddings: <embeddings deployment>' });
    expect(hints[0].text).toContain('every embeddings request (2) answered 404: the deployment "text-embedding-3-small" may not exist');
    expect(renderSummary(r, '/tmp/report', [], { colour: false })).toContain('Hints: these look like configuration mistakes, not target failures (docs/target-config.md)');
  });

  it('OperationNotSupported on a deployment of another kind: give the capability its own deployment', () => {
    const notSupported = { status: 400, json: { error: { code: 'OperationNotSupported', message: 'The completion operation does not work with the specified model, gpt-4o-mini. Please choose different model and try again.' } } };
    const r = builtRun([
      { id: 'k1', operation: 'completions', checks: [{ check: 'status', requirement: 'R', status: 'fail' }], response: notSupported },
      { id: 'k2', operation: 'completions', checks: [{ check: 'status', requirement: 'R', status: 'pass' }], response: { status: 400, json: { error: { code: 'invalid_request', message: 'bad' } } } },
    ]);
    const [hint] = configHints(r);
    expect(hint.operation).toBe('completions');
    expect(hint.text).toContain('1 completions case(s) were answered OperationNotSupported "The completion operation does not work');
    expect(hint.text).toContain('the deployment "gpt-35-turbo-instruct" looks like a deployment of another kind');
    expect(hint.config).toBe('deployments:\n  completions: <completions deployment>');
  });

  it('every response 401 or 403: the credential; no per-operation hint then', () => {
    const denied = (id: string) => ({ id, checks: [{ check: 'status', requirement: 'R', status: 'fail' as const }], response: { status: 401 } });
    const hints = configHints(builtRun([denied('a'), denied('b'), denied('c')]));
    expect(hints).toHaveLength(1);
    expect(hints[0].text).toContain('does not accept the credential in $AZURE_OPENAI_API_KEY');
  });

  it('no hint for a target that fails in ordinary ways', () => {
    expect(configHints(builtRun([usage('a', 10), usage('b', 11), { id: 'c', checks: [{ check: 'status', requirement: 'R', status: 'pass' }], response: { status: 404 } }]))).toEqual([]);
  });
});

describe('Progress', () => {
  const clock = () => {
    let t = 1_000_000;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it('shows an ETA from the mean time per case so far, and none before the first case or after the last', () => {
    const written: string[] = [];
    const stream = { write: (t: string) => written.push(t), isTTY: true, columns: 200 } as unknown as NodeJS.WriteStream;
    const c = clock();
    const p = new Progress(stream, 4, true, c.now);
    p.start();
    expect(p.line()).not.toContain('ETA');
    c.advance(10_000);
    p.done('a', 'pass');
    expect(p.line()).toMatch(/ · 10s · ETA 30s$/);
    c.advance(50_000);
    p.done('b', 'fail');
    expect(p.line()).toMatch(/ · 1m00s · ETA 1m00s$/);
    p.done('c', 'pass');
    p.done('d', 'pass');
    expect(p.line()).not.toContain('ETA');
  });

  it('formats durations', () => {
    expect([formatDuration(400), formatDuration(42_000), formatDuration(185_000), formatDuration(3_720_000)]).toEqual(['0s', '42s', '3m05s', '1h02m']);
  });
});
