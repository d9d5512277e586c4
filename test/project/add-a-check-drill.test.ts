/**
 * docs/cases.md "Adding a check" is exercised: scripts/add-a-check-drill.ts adds a sample check in a scratch copy
 * of the project and runs its fault matrix row there. Cheap: only that row, the loader's and the unit test run.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeReport, runDrill, SAMPLE, STEPS, stepsFollowDocs, type VitestReport } from '../../scripts/add-a-check-drill.ts';
import { PACKAGE_ROOT } from '../../src/paths.ts';

/** Hang guard only: the drill takes seconds. */
const HANG_GUARD_MS = 5 * 60_000;
const parent = mkdtempSync(join(tmpdir(), 'aoai-drill-test-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const passed = (fullName: string) => ({ fullName, status: 'passed' });
const REPORT: VitestReport = {
  testResults: [
    {
      assertionResults: [
        passed(`every check fails on its fault and passes without it (openai) ${SAMPLE.check} → fail under fault ${SAMPLE.fault} (case ${SAMPLE.case})`),
        passed('the fault matrix is complete exercises every check'),
        passed('the committed cases load without problems and have unique ids'),
        passed('docs/requirements.md is up to date'),
        passed(`${SAMPLE.check} passes a string or absent finish_reason and fails a number`),
      ],
    },
  ],
};

describe('the add-a-check drill', () => {
  it('follows the steps docs/cases.md names', () => {
    expect(stepsFollowDocs(readFileSync(join(PACKAGE_ROOT, 'docs', 'cases.md'), 'utf8'))).toEqual([]);
    expect(stepsFollowDocs('# Writing cases\n\n## Adding a check\n\n1. Write it somewhere.\n')).toHaveLength(STEPS.length);
  });

  it('adds the sample, and its fault matrix row passes in a scratch copy that is then removed', { timeout: HANG_GUARD_MS }, () => {
    const result = runDrill({ parent });
    expect(result.rows).toBeGreaterThan(0);
    expect(result.files).toHaveLength(STEPS.length);
    expect(existsSync(result.scratch)).toBe(false);
  });

  it('fails, and still removes its copy, when a step no longer fits the code', () => {
    const gone = (): string => {
      throw new Error('drill: anchor gone');
    };
    const broken = [STEPS[0], { ...STEPS[1], edit: gone }, ...STEPS.slice(2)];
    expect(() => runDrill({ parent, steps: broken })).toThrow(/anchor gone/);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('judges the copy\'s test report: the new row must have run and passed', () => {
    expect(judgeReport(REPORT).problems).toEqual([]);
    const skipped = { testResults: [{ assertionResults: REPORT.testResults[0].assertionResults.slice(1) }] };
    expect(judgeReport(skipped).problems.join('\n')).toMatch(/did not run and pass/);
    const failed = { testResults: [{ assertionResults: [...REPORT.testResults[0].assertionResults, { fullName: 'x', status: 'failed', failureMessages: ['boom'] }] }] };
    expect(judgeReport(failed).problems.join('\n')).toMatch(/failed: x/);
  });
});
