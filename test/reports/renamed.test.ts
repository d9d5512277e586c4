/**
 * Old ids still work where an earlier run or a user's file names them (cases/renamed.yaml): a baseline, --compare,
 * the shards to merge, --only and --skip. This file keeps old ids on purpose (the rename script leaves it alone).
 */
import { describe, expect, it } from 'vitest';
import { parseBaseline } from '../../src/results/baseline.ts';
import { compareRuns } from '../../src/results/compare.ts';
import { mergeRuns } from '../../src/results/merge.ts';
import type { ReportedCase, RunResults } from '../../src/results/model.ts';
import { currentPatterns, loadRenames, withCurrentIds, type Renames } from '../../src/renamed.ts';
import { readResultsFile, runCli, tempDir } from '../helpers.ts';

const renames: Renames = {
  requirements: new Map([
    ['AOAI-STREAM-DONE', 'STREAM-DONE'],
    ['MI-STREAM-DONE', 'STREAM-DONE'],
  ]),
  cases: new Map([['completions-stream-mi-false', 'completions-stream-false']]),
};

function reported(id: string, status: ReportedCase['status'], requirement: string, checkStatus: ReportedCase['status'] = status): ReportedCase {
  return {
    id,
    title: id,
    file: 'cases/x.yaml',
    operation: 'completions',
    profile: 'azure-openai',
    requirement,
    requirements: [requirement],
    level: 'MUST',
    seed: '003 §x',
    status,
    durationMs: 1,
    checks: status === 'skipped' ? [] : [{ id: `${id}/stream-done`, check: 'stream-done', requirement, level: 'MUST', status: checkStatus, expected: null, actual: null, message: '', category: 'streaming' }],
  } as ReportedCase;
}

function run(cases: ReportedCase[]): RunResults {
  return { schemaVersion: 1, startedAt: '2026-01-01T00:00:00Z', tool: { version: '0.0.1' }, target: { profile: 'azure-openai' }, verdict: { reason: 'r' }, selection: { filters: {}, planned: cases.map((c) => c.id) }, requirements: { [cases[0].requirement]: { level: 'MUST', statement: 's', source: '003', section: 'x' } }, cases } as unknown as RunResults;
}

describe('an earlier run with old ids', () => {
  const old = run([reported('completions-stream-false', 'pass', 'AOAI-STREAM-DONE'), reported('completions-stream-mi-false', 'skipped', 'MI-STREAM-DONE')]);

  it('reads with the current ids: cases, checks, requirements and the planned list', () => {
    const now = withCurrentIds(old, renames);
    expect(now.cases.map((c) => [c.id, c.status, c.requirement, c.checks.map((k) => `${k.id} ${k.requirement}`)])).toEqual([['completions-stream-false', 'pass', 'STREAM-DONE', ['completions-stream-false/stream-done STREAM-DONE']]]);
    expect(Object.keys(now.requirements)).toEqual(['STREAM-DONE']);
    expect(now.selection.planned).toEqual(['completions-stream-false']);
  });

  it('keeps, of twin cases now one, the result that was judged (the other was skipped as not of the run\'s profile)', () => {
    const skippedFirst = run([reported('completions-stream-mi-false', 'skipped', 'MI-STREAM-DONE'), reported('completions-stream-false', 'fail', 'AOAI-STREAM-DONE')]);
    expect(withCurrentIds(skippedFirst, renames).cases.map((c) => `${c.id} ${c.status}`)).toEqual(['completions-stream-false fail']);
  });

  it('compares correctly with a current run: a case that newly fails is a regression, not an added and a removed case', () => {
    const current = run([reported('completions-stream-false', 'fail', 'STREAM-DONE')]);
    const comparison = compareRuns(withCurrentIds(old, renames), current);
    expect(comparison.regressions.map((c) => `${c.id} ${c.before}→${c.after} ${c.checks.join(',')}`)).toEqual(['completions-stream-false pass→fail completions-stream-false/stream-done: pass → fail']);
    expect([comparison.added, comparison.removed]).toEqual([[], []]);
    expect(compareRuns(old, current).removed).toEqual(['completions-stream-mi-false']);
  });
});

describe('shards of an earlier version with old ids', () => {
  const shard = (index: number, cases: ReportedCase[]): RunResults =>
    ({ ...run(cases), runErrors: [], finishedAt: '2026-01-01T00:01:00Z', durationMs: 1, target: { profile: 'azure-openai', emulator: true, faults: [] }, selection: { filters: {}, planned: cases.map((c) => c.id), shard: { index, count: 2 } } }) as unknown as RunResults;
  const inapplicable = { ...reported('completions-stream-mi-false', 'skipped', 'MI-STREAM-DONE'), skipReason: 'applies to model-inference, not azure-openai' };

  it('merge into one result per current case: of twins in two shards, the one the profile did not apply to gives way', () => {
    const a = shard(1, [inapplicable]);
    const b = shard(2, [reported('completions-stream-false', 'fail', 'AOAI-STREAM-DONE')]);
    const { draft } = mergeRuns([withCurrentIds(a, renames), withCurrentIds(b, renames)]);
    expect(draft.cases.map((c) => `${c.id} ${c.status}`)).toEqual(['completions-stream-false fail']);
  });

  it('a case judged in two shards is still an error', () => {
    const a = shard(1, [reported('completions-stream-false', 'pass', 'STREAM-DONE')]);
    const b = shard(2, [reported('completions-stream-false', 'fail', 'STREAM-DONE')]);
    expect(() => mergeRuns([a, b])).toThrow('case completions-stream-false is in two of the runs');
  });
});

describe('a user\'s file or option with an old case id', () => {
  it('a baseline entry is read as the current case, with a note', () => {
    const text = 'expected-failures:\n  - case: completions-stream-mi-false\n    reason: vendor bug\n  - case: completions-stream-false\n    reason: another\n';
    const known = { cases: new Set(['completions-stream-false']), checks: new Set<string>() };
    const baseline = parseBaseline(text, 'b.yaml', known, renames);
    expect(baseline.entries.map((e) => e.case)).toEqual(['completions-stream-false', 'completions-stream-false']);
    expect(baseline.renamed).toEqual(['/expected-failures/0/case: case completions-stream-mi-false was renamed completions-stream-false: read as completions-stream-false']);
    expect(() => parseBaseline(text, 'b.yaml', known, { requirements: new Map(), cases: new Map() })).toThrow(/no case "completions-stream-mi-false"/);
  });

  it('--only and --skip patterns select the current case, with a note; other patterns stay as written', () => {
    expect(currentPatterns(['completions-stream-mi-false', 'chat-*'], renames)).toEqual({ patterns: ['completions-stream-false', 'chat-*'], notes: ['case completions-stream-mi-false was renamed completions-stream-false: completions-stream-false is used'] });
  });
});

describe('the committed rename table', () => {
  it('maps only to ids of the catalogue and names no current id as an old one', async () => {
    const { loadCases, loadRequirements } = await import('../../src/cases/load.ts');
    const requirements = loadRequirements();
    const cases = new Set(loadCases(undefined, requirements).map((c) => c.id));
    const table = loadRenames();
    for (const [from, to] of table.requirements) {
      expect(requirements.has(to), `${from} → ${to}`).toBe(true);
      expect(requirements.has(from), from).toBe(false);
    }
    for (const [from, to] of table.cases) {
      expect(cases.has(to), `${from} → ${to}`).toBe(true);
      expect(cases.has(from), from).toBe(false);
    }
  });
});

describe('the CLI, given an old case id', () => {
  // completions-stream-mi-max-tokens was the model-inference twin of completions-stream-max-tokens.
  it('lists the case it is now, and says so', async () => {
    const out = await runCli(['list', 'cases', '--only', 'completions-stream-mi-max-tokens']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.trim().split('\n').map((l) => l.split(' ')[0])).toEqual(['completions-stream-max-tokens']);
    expect(out.stderr).toContain('case completions-stream-mi-max-tokens was renamed completions-stream-max-tokens');
  });

  it('runs the case it is now, at the level of the run\'s profile\'s source', async () => {
    const dir = tempDir('aoai-renamed-');
    const out = await runCli(['run', '--profile', 'model-inference', '--only', 'completions-stream-mi-max-tokens', '--report-dir', dir, '--no-allure']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain('case completions-stream-mi-max-tokens was renamed completions-stream-max-tokens');
    const results = readResultsFile(dir);
    expect(results.cases.map((c) => `${c.id} ${c.status} ${c.level}`)).toEqual(['completions-stream-max-tokens pass MUST']);
    expect(results.requirements['STREAM-FINISH-LENGTH']).toMatchObject({ level: 'MUST', source: '000' });
  });
});
