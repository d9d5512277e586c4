/**
 * Baselines people can maintain: a baseline written from a run's failures loads with loadBaseline and
 * excuses exactly those failures; `update` drops stale entries, keeps reasons (and comments), adds new
 * failures and never renews an expired entry. Then the same through the CLI, once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyBaseline, loadBaseline, REASON_PLACEHOLDER, updateBaseline, writeBaseline } from '../../src/results/baseline.ts';
import { expiryOption } from '../../src/cli/baseline.ts';
import type { ReportedCase } from '../../src/results/model.ts';
import { summarise, verdictOf } from '../../src/results/model.ts';
import { builtCase, type CaseInput } from './built.ts';
import { cli, readResults, tempDir, writeFile } from './support.ts';

const TODAY = '2026-06-15';

const fails = (id: string, ...checks: Array<[string, 'pass' | 'fail' | 'warning']>): CaseInput => ({
  id,
  checks: checks.map(([check, status]) => ({ check, requirement: `REQ-${check.toUpperCase()}`, status, message: `${check} is ${status}` })),
});

const cases = (...inputs: CaseInput[]) => inputs.map(builtCase);

function judge(path: string, run: ReportedCase[]) {
  const report = applyBaseline(loadBaseline(path), run, TODAY);
  const summary = summarise(run, run.length);
  return { report, summary, verdict: verdictOf(summary, [], report) };
}

describe('writeBaseline', () => {
  const run = () => cases(fails('a', ['status', 'pass'], ['usage-sums', 'fail']), fails('b', ['status', 'fail'], ['status', 'pass'], ['schema', 'fail']), fails('c', ['status', 'pass'], ['status', 'fail']), fails('d', ['error-message', 'warning']), fails('e', ['status', 'pass']));

  it('one entry per failing check, with a reason placeholder, an expiry and the failure as a comment', () => {
    const { text, entries } = writeBaseline(run(), 'From a test run.', { expires: '2026-09-13' });
    expect(entries).toEqual([
      { case: 'a', check: 'usage-sums', reason: REASON_PLACEHOLDER, expires: '2026-09-13' },
      { case: 'b', check: 'schema', reason: REASON_PLACEHOLDER, expires: '2026-09-13' },
      { case: 'b', check: 'status#1', reason: REASON_PLACEHOLDER, expires: '2026-09-13' },
      { case: 'c', check: 'status#2', reason: REASON_PLACEHOLDER, expires: '2026-09-13' },
    ]);
    expect(text).toContain('# From a test run.');
    expect(text).toContain('  # MUST REQ-USAGE-SUMS: usage-sums is fail\n  - case: a\n    check: usage-sums\n');
    expect(text).toContain('expires: 2026-09-13');
  });

  it('the written file loads with loadBaseline and excuses exactly those failures: the run passes', () => {
    const dir = tempDir();
    const path = writeFile(dir, 'baseline.yaml', writeBaseline(run(), 'x', { expires: '2026-09-13' }).text);
    const known = { cases: new Set(['a', 'b', 'c', 'd', 'e']), checks: new Set(['status', 'usage-sums', 'schema', 'error-message']) };
    expect(loadBaseline(path, known).entries).toHaveLength(4);
    const same = run();
    const { report, summary, verdict } = judge(path, same);
    expect(report.counts).toEqual({ excused: 4, stale: 0, expired: 0, 'not-run': 0 });
    expect(summary).toMatchObject({ failed: 0, expectedFailures: 3, warnings: 1 });
    expect(verdict.exitCode).toBe(0);
    for (const c of same) for (const k of c.checks) expect(k.status === 'fail', k.id).toBe(k.expectedFailure !== undefined);
  });

  it('nothing more: a new failure of another check, even of the same name in the same case, still fails the run', () => {
    const path = writeFile(tempDir(), 'baseline.yaml', writeBaseline(run(), 'x').text);
    // b's second status check and c's first now fail too; a's status too.
    const later = cases(fails('a', ['status', 'fail'], ['usage-sums', 'fail']), fails('b', ['status', 'fail'], ['status', 'fail'], ['schema', 'fail']), fails('c', ['status', 'fail'], ['status', 'fail']), fails('d', ['error-message', 'warning']), fails('e', ['status', 'pass']));
    const { verdict } = judge(path, later);
    expect(verdict.exitCode).toBe(1);
    const unexcused = later.flatMap((c) => c.checks.filter((k) => k.status === 'fail' && k.expectedFailure === undefined).map((k) => k.id));
    expect(unexcused).toEqual(['a/status', 'b/status#2', 'c/status']);
  });

  it('a run without failures writes an empty baseline that loads', () => {
    const path = writeFile(tempDir(), 'baseline.yaml', writeBaseline(cases(fails('e', ['status', 'pass'])), 'x').text);
    expect(loadBaseline(path).entries).toEqual([]);
  });
});

describe('updateBaseline', () => {
  const existing = `# our baseline
expected-failures:
  # vendor says: next release
  - case: a
    check: usage-sums
    reason: "vendor ticket 12"
    expires: 2027-01-31
  - case: fixed-now
    reason: "was broken"
  - case: old
    check: status
    reason: "renew me?"
    expires: 2026-01-01
  - case: removed-from-suite
    reason: "gone"
`;
  const known = { cases: new Set(['a', 'fixed-now', 'old', 'new-failure']), checks: new Set(['status', 'usage-sums', 'schema']) };
  const run = () => cases(fails('a', ['usage-sums', 'fail']), fails('fixed-now', ['status', 'pass']), fails('old', ['status', 'fail']), fails('new-failure', ['schema', 'fail'], ['status', 'pass']));

  it('drops stale and unknown entries, keeps the others with their reasons and comments, adds new failures, reports expired ones', () => {
    const u = updateBaseline(existing, 'baseline.yaml', run(), { today: TODAY, known, expires: '2026-09-13' });
    expect(u.kept.map((e) => e.case)).toEqual(['a', 'old']);
    expect(u.dropped.map((d) => [d.entry.case, d.why])).toEqual([
      ['fixed-now', 'now passes: remove the entry'],
      ['removed-from-suite', 'no case "removed-from-suite" (see aoai-conformance list cases)'],
    ]);
    expect(u.added).toEqual([{ case: 'new-failure', check: 'schema', reason: REASON_PLACEHOLDER, expires: '2026-09-13' }]);
    expect(u.expired.map((e) => e.case)).toEqual(['old']);
    expect(u.text).toContain('# our baseline');
    expect(u.text).toContain('# vendor says: next release\n  - case: a\n    check: usage-sums\n    reason: "vendor ticket 12"\n    expires: 2027-01-31');
    expect(u.text).toContain('expires: 2026-01-01');
    expect(u.text).not.toContain('fixed-now');
  });

  it('the updated file loads and excuses every failure but the expired one', () => {
    const path = writeFile(tempDir(), 'baseline.yaml', updateBaseline(existing, 'baseline.yaml', run(), { today: TODAY, known }).text);
    expect(loadBaseline(path, known).entries.map((e) => e.case)).toEqual(['a', 'old', 'new-failure']);
    const { report, verdict } = judge(path, run());
    expect(report.entries.map((e) => e.state)).toEqual(['excused', 'expired', 'excused']);
    expect(verdict.reason).toContain('1 baseline entry has expired');
  });

  it('an up-to-date baseline is left as it was', () => {
    const current = updateBaseline(existing, 'baseline.yaml', run(), { today: TODAY, known }).text;
    const again = updateBaseline(current, 'baseline.yaml', run(), { today: TODAY, known });
    expect(again.text).toBe(current);
    expect([again.dropped, again.added]).toEqual([[], []]);
  });
});

describe('--expires', () => {
  it.each([
    [undefined, '2026-09-13'],
    ['30d', '2026-07-15'],
    ['2027-02-28', '2027-02-28'],
    ['never', undefined],
  ])('%s → %s', (text, date) => {
    expect(expiryOption(text, TODAY)).toBe(date);
  });

  it.each(['tomorrow', '2027-13-45', '-3d'])('rejects %s', (text) => {
    expect(() => expiryOption(text, TODAY)).toThrow(/--expires/);
  });
});

describe('aoai-conformance baseline (CLI)', () => {
  it('write from a failing run, then the same run with it exits 0 with every failure expected; update keeps it', async () => {
    const dir = tempDir();
    const args = ['run', '--only', 'chat-minimal', '--only', 'chat-multi-turn', '--fault', 'usage-total-wrong', '--no-allure'];
    const first = await cli([...args, '--report-dir', join(dir, 'first')]);
    expect(first.code, first.stdout + first.stderr).toBe(1);
    const failed = readResults(join(dir, 'first')).cases.filter((c) => c.status === 'fail').map((c) => c.id);
    expect(failed.length).toBeGreaterThan(0);

    const path = join(dir, 'baseline.yaml');
    const write = await cli(['baseline', 'write', '--from', join(dir, 'first'), '--output', path, '--expires', '30d']);
    expect(write.code, write.stderr).toBe(0);
    expect(write.stdout).toContain('Replace each TODO reason');
    expect((await cli(['baseline', 'write', '--from', join(dir, 'first'), '--output', path])).code).toBe(2);

    const second = await cli([...args, '--baseline', path, '--report-dir', join(dir, 'second')]);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const r = readResults(join(dir, 'second'));
    expect(r.summary.failed).toBe(0);
    expect(r.cases.filter((c) => c.expectedFailure).map((c) => c.id)).toEqual(failed);

    const before = readFileSync(path, 'utf8');
    const update = await cli(['baseline', 'update', path, '--from', join(dir, 'second')]);
    expect(update.code, update.stderr).toBe(0);
    expect(update.stdout).toContain('0 dropped, 0 added');
    expect(readFileSync(path, 'utf8')).toBe(before);
  }, 120_000);
});
