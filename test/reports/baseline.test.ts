/**
 * Expected-failures baseline: listed failures do not fail the run, unlisted ones do, and a listed
 * entry that now passes (stale) or whose date is past (expired) fails it. Unit rows for each state,
 * then the exit codes of the real CLI.
 */
import { describe, expect, it } from 'vitest';
import { applyBaseline, BaselineError, loadBaseline, type Baseline } from '../../src/results/baseline.ts';
import type { Status } from '../../src/model.ts';
import { type ReportedCase, summarise, verdictOf } from '../../src/results/model.ts';
import { cli, readResults, tempDir, writeFile } from './support.ts';

function kase(id: string, checks: Array<[string, Status]>, status?: Status): ReportedCase {
  return {
    id,
    title: id,
    file: 'cases/x.yaml',
    operation: 'chat.completions',
    profile: 'azure-openai',
    requirement: 'REQ',
    requirements: ['REQ'],
    level: 'MUST',
    seed: '003',
    status: status ?? (checks.some(([, s]) => s === 'fail') ? 'fail' : checks.some(([, s]) => s === 'warning') ? 'warning' : 'pass'),
    checks: checks.map(([check, s], i) => ({ id: `${id}/${check}`, check, requirement: `REQ-${i}`, level: s === 'warning' ? 'SHOULD' : 'MUST', status: s, expected: 1, actual: 2, message: 'm', category: 'semantics' })),
    durationMs: 1,
  };
}

const TODAY = '2026-06-15';

function judge(baseline: Baseline, cases: ReportedCase[]) {
  const report = applyBaseline(baseline, cases, TODAY);
  const summary = summarise(cases, cases.length);
  return { report, summary, verdict: verdictOf(summary, [], report) };
}

describe('applyBaseline', () => {
  it('excuses a listed failing case: exit 0, the case counts as an expected failure, not a failure', () => {
    const cases = [kase('a', [['status', 'pass'], ['usage-sums', 'fail']]), kase('b', [['status', 'pass']])];
    const { report, summary, verdict } = judge({ file: 'b.yaml', entries: [{ case: 'a', reason: 'vendor bug' }] }, cases);
    expect(report.entries[0].state).toBe('excused');
    expect(cases[0].expectedFailure).toEqual({ reasons: ['vendor bug'] });
    expect(cases[0].checks[1].expectedFailure).toBe('vendor bug');
    expect(summary).toMatchObject({ failed: 0, expectedFailures: 1, passed: 1, mustFailures: 0 });
    expect(verdict.exitCode).toBe(0);
    expect(verdict.conformant).toBe(false);
    expect(verdict.levels.MUST).toBe('pass');
  });

  it('fails the run on an unlisted failure, even next to a listed one', () => {
    const cases = [kase('a', [['usage-sums', 'fail']]), kase('b', [['schema', 'fail']])];
    const { summary, verdict } = judge({ file: 'b.yaml', entries: [{ case: 'a', reason: 'r' }] }, cases);
    expect(summary).toMatchObject({ failed: 1, expectedFailures: 1 });
    expect(verdict.exitCode).toBe(1);
  });

  it('a check entry excuses only that check: another failing check of the case still fails the run', () => {
    const cases = [kase('a', [['usage-sums', 'fail'], ['schema', 'fail']])];
    const { report, verdict } = judge({ file: 'b.yaml', entries: [{ case: 'a', check: 'usage-sums', reason: 'r' }] }, cases);
    expect(report.entries[0].state).toBe('excused');
    expect(cases[0].expectedFailure).toBeUndefined();
    expect(cases[0].checks.map((k) => k.expectedFailure)).toEqual(['r', undefined]);
    expect(verdict.exitCode).toBe(1);
  });

  it('a check id with #n names one occurrence only', () => {
    const c = kase('a', [['status', 'fail'], ['status', 'fail']]);
    c.checks[1].id = 'a/status#2';
    const { verdict } = judge({ file: 'b.yaml', entries: [{ case: 'a', check: 'status#2', reason: 'r' }] }, [c]);
    expect(c.checks.map((k) => k.expectedFailure)).toEqual([undefined, 'r']);
    expect(verdict.exitCode).toBe(1);
  });

  it('a listed case or check that now passes is stale and fails the run', () => {
    for (const entry of [{ case: 'a', reason: 'r' }, { case: 'a', check: 'usage-sums', reason: 'r' }]) {
      const { report, verdict } = judge({ file: 'b.yaml', entries: [entry] }, [kase('a', [['usage-sums', 'pass']])]);
      expect(report.entries[0].state).toBe('stale');
      expect(verdict.exitCode).toBe(1);
      expect(verdict.reason).toContain('stale');
    }
  });

  it('an entry naming a check the case does not have is stale (it can never match)', () => {
    const { report } = judge({ file: 'b.yaml', entries: [{ case: 'a', check: 'schema', reason: 'r' }] }, [kase('a', [['usage-sums', 'fail']])]);
    expect(report.entries[0].state).toBe('stale');
  });

  it('an expired entry fails the run and excuses nothing; its last day still counts', () => {
    const cases = [kase('a', [['usage-sums', 'fail']])];
    const expired = judge({ file: 'b.yaml', entries: [{ case: 'a', reason: 'r', expires: '2026-06-14' }] }, cases);
    expect(expired.report.entries[0].state).toBe('expired');
    expect(cases[0].expectedFailure).toBeUndefined();
    expect(expired.verdict.exitCode).toBe(1);
    expect(expired.verdict.reason).toContain('expired');
    const lastDay = judge({ file: 'b.yaml', entries: [{ case: 'a', reason: 'r', expires: TODAY }] }, [kase('a', [['usage-sums', 'fail']])]);
    expect(lastDay.report.entries[0].state).toBe('excused');
    expect(lastDay.verdict.exitCode).toBe(0);
  });

  it('an entry whose case did not run (skipped, filtered out, another shard) is not-run and changes nothing', () => {
    const cases = [kase('a', [], 'skipped'), kase('b', [['status', 'pass']])];
    const { report, verdict } = judge({ file: 'b.yaml', entries: [{ case: 'a', reason: 'r' }, { case: 'zzz', reason: 'r' }] }, cases);
    expect(report.entries.map((e) => e.state)).toEqual(['not-run', 'not-run']);
    expect(verdict.exitCode).toBe(0);
  });

  it('a SHOULD warning keeps an entry alive (not stale) without needing an excuse', () => {
    const { report, verdict } = judge({ file: 'b.yaml', entries: [{ case: 'a', reason: 'r' }] }, [kase('a', [['status', 'warning']])]);
    expect(report.entries[0].state).toBe('excused');
    expect(verdict.exitCode).toBe(0);
  });
});

describe('loadBaseline', () => {
  const dir = tempDir();
  const known = { cases: new Set(['chat-minimal']), checks: new Set(['usage-sums']) };

  it('reads entries with dates kept as YYYY-MM-DD strings', () => {
    const path = writeFile(dir, 'ok.yaml', 'expected-failures:\n  - case: chat-minimal\n    check: usage-sums\n    reason: "vendor bug #12"\n    expires: 2027-01-31\n');
    expect(loadBaseline(path, known).entries).toEqual([{ case: 'chat-minimal', check: 'usage-sums', reason: 'vendor bug #12', expires: '2027-01-31' }]);
  });

  it.each([
    ['unknown field', 'expected-failures:\n  - { case: chat-minimal, reason: r, until: 2027-01-01 }\n'],
    ['missing reason', 'expected-failures:\n  - { case: chat-minimal }\n'],
    ['bad date', 'expected-failures:\n  - { case: chat-minimal, reason: r, expires: 31/01/2027 }\n'],
    ['unknown case', 'expected-failures:\n  - { case: chat-minimall, reason: r }\n'],
    ['unknown check', 'expected-failures:\n  - { case: chat-minimal, check: usage-sum, reason: r }\n'],
    ['not YAML', 'expected-failures: [\n'],
  ])('rejects %s', (_what, text) => {
    expect(() => loadBaseline(writeFile(dir, 'bad.yaml', text), known)).toThrow(BaselineError);
  });
});

describe('--baseline exit codes (CLI)', () => {
  const run = (baseline: string) => {
    const dir = tempDir();
    const path = writeFile(dir, 'baseline.yaml', baseline);
    return cli(['run', '--only', 'chat-minimal', '--only', 'chat-multi-turn', '--fault', 'usage-total-wrong', '--baseline', path, '--report-dir', dir]).then((out) => ({ out, dir }));
  };

  it('an unlisted failure exits 1', async () => {
    const { out, dir } = await run('expected-failures: []\n');
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(readResults(dir).summary.failed).toBe(1);
  });

  it('a listed failure exits 0 and shows as an expected failure in every report', async () => {
    const { out, dir } = await run('expected-failures:\n  - { case: chat-minimal, check: usage-sums, reason: "known: usage off by one" }\n');
    expect(out.code, out.stdout + out.stderr).toBe(0);
    const r = readResults(dir);
    expect(r.summary).toMatchObject({ failed: 0, expectedFailures: 1 });
    expect(r.baseline?.entries[0].state).toBe('excused');
    expect(out.stdout).toContain('XFAIL');
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(`${dir}/report.html`, 'utf8')).toContain('known: usage off by one');
    expect(readFileSync(`${dir}/junit.xml`, 'utf8')).toContain('type="expected-failure"');
  });

  it('a stale entry exits 1', async () => {
    const { out, dir } = await run('expected-failures:\n  - { case: chat-minimal, reason: a }\n  - { case: chat-multi-turn, reason: "passes now" }\n');
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(readResults(dir).baseline?.entries.map((e) => e.state)).toEqual(['excused', 'stale']);
    expect(out.stdout).toContain('STALE');
  });

  it('an expired entry exits 1', async () => {
    const { out, dir } = await run('expected-failures:\n  - { case: chat-minimal, reason: a, expires: 2001-01-01 }\n');
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(readResults(dir).baseline?.entries[0].state).toBe('expired');
  });

  it('a baseline naming an unknown case is a usage error (exit 2)', async () => {
    const { out } = await run('expected-failures:\n  - { case: no-such-case, reason: a }\n');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('no-such-case');
  });
});
