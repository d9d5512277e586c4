/**
 * Allure: each conformance test is labelled (requirement, level, operation, profile, seed, outcome) and
 * gets its checks as steps and the redacted exchange, the checks and a curl reproduction as attachments.
 * Runs inside the test (src/runner/conformance.suite.ts) through allure-js-commons; allure-vitest writes
 * <report-dir>/allure-results. Everything attached comes from the case as the results model reports it
 * (src/results/build.ts reportCase: the engine's redacted result and its curl reproduction).
 *
 * Allure's status comes from the vitest outcome and the error the test threw (allure-js-commons
 * getStatusFromError: an assertion-named error is `failed`, any other `broken`). So a MUST failure
 * throws a ConformanceAssertionError (failed) and a case the suite could not judge a plain Error
 * (broken). A warning passes, as it does for the exit code; Allure has no warning status, so a warned
 * case carries the `warning` tag and `outcome` label, a name that says so, and its SHOULD/MAY checks
 * as failed steps inside the passed test.
 */
import * as allure from 'allure-js-commons';
import type { CaseResult, Status } from '../src/model.ts';
import type { ReportedCase } from '../src/results/model.ts';

const SEVERITY = { MUST: 'critical', SHOULD: 'normal', MAY: 'minor' } as const;
const STEP_STATUS: Record<Status, 'passed' | 'failed' | 'broken' | 'skipped'> = { pass: 'passed', fail: 'failed', warning: 'failed', skipped: 'skipped', error: 'broken' };

/** A MUST failure of the target, as opposed to a fault of the suite: Allure reports it `failed`. */
export class ConformanceAssertionError extends Error {
  override name = 'ConformanceAssertionError';
}

/** What a case's test throws when it fails (the target broke a MUST rule) or could not be judged. */
export function caseError(result: Pick<CaseResult, 'status'>, message: string): Error {
  return result.status === 'fail' ? new ConformanceAssertionError(message) : new Error(message);
}

/** Labels, describes and attaches one case; `statement` is its requirement's. */
export async function describeForAllure(result: ReportedCase, statement: string | undefined): Promise<void> {
  // Labels are what Allure filters and groups by; the description says what the case checks.
  await allure.labels(
    { name: 'requirement', value: result.requirement },
    { name: 'level', value: result.level },
    { name: 'operation', value: result.operation },
    { name: 'profile', value: result.profile },
    { name: 'seed', value: result.seed },
    { name: 'severity', value: SEVERITY[result.level] },
    { name: 'epic', value: result.profile },
    { name: 'feature', value: result.operation },
    { name: 'story', value: result.requirement },
    { name: 'tag', value: result.level },
    // pass | fail | warning | skipped | error: what the suite concluded, which Allure's status cannot say for a warning.
    { name: 'outcome', value: result.status },
    ...(result.status === 'warning' ? [{ name: 'tag', value: 'warning' }] : []),
  );
  if (result.status === 'warning') await allure.displayName(`${result.id}: ${result.title} — warning (SHOULD/MAY)`);
  await allure.parameter('profile', result.profile);
  await allure.description(
    [
      `**${result.level} ${result.requirement}** — ${statement ?? ''}`,
      '',
      `Seed: ${result.seed}`,
      `Case file: \`${result.file}\``,
      ...(result.skipReason ? ['', `Not applicable: ${result.skipReason}`] : []),
      ...(result.repeat ? ['', `Runs: ${result.repeat.passed}/${result.repeat.runs} passed`] : []),
      ...(result.status === 'warning' ? ['', 'Outcome: **warning** — a SHOULD/MAY check failed; no MUST check did, so the test passes.'] : []),
    ].join('\n'),
  );
  for (const k of result.checks) {
    const label = `${k.status === 'warning' ? `WARNING (${k.level}) ` : ''}${k.check} [${k.level} ${k.requirement}]: ${k.message}`;
    await allure.logStep(label, STEP_STATUS[k.status] as never);
  }
  // The checks as the engine judged them: the report matrix's category column is report.html's business.
  if (result.checks.length) await allure.attachment('checks.json', JSON.stringify(result.checks.map(({ category: _category, ...k }) => k), null, 2), 'application/json');
  if (result.exchange) {
    await allure.attachment('exchange.json', JSON.stringify(result.exchange, null, 2), 'application/json');
    if (result.reproduce) await allure.attachment('reproduce.sh', `${result.reproduce.curl}\n`, 'text/plain');
  }
}
