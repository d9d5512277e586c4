/**
 * Allure: each conformance test is labelled (requirement, level, operation, profile, seed, outcome) and
 * gets its checks as steps and the redacted exchange, the checks and a curl reproduction as attachments.
 * Runs inside the test (suite.ts) through allure-js-commons; allure-vitest writes
 * <report-dir>/allure-results. Everything attached comes from the engine's redacted CaseResult.
 *
 * Allure's status comes from the vitest outcome and the error the test threw (allure-js-commons
 * getStatusFromError: an assertion-named error is `failed`, any other `broken`). So a MUST failure
 * throws a ConformanceAssertionError (failed) and a case the suite could not judge a plain Error
 * (broken). A warning passes, as it does for the exit code; Allure has no warning status, so a warned
 * case carries the `warning` tag and `outcome` label, a name that says so, and its SHOULD/MAY checks
 * as failed steps inside the passed test.
 */
import * as allure from 'allure-js-commons';
import type { CaseResult, CaseSpec, Requirement, Status } from '../src/model.ts';
import { curlFor, type CurlTarget } from '../src/results/curl.ts';

/** Set by the CLI when the allure-vitest reporter is on, so suites never talk to a missing runtime. */
export const ALLURE_ENV = 'AOAI_CONFORMANCE_ALLURE';

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

export async function describeForAllure(spec: CaseSpec, result: CaseResult, requirements: Map<string, Requirement>, target: CurlTarget | string): Promise<void> {
  const requirement = requirements.get(spec.requirement);
  // Labels are what Allure filters and groups by; the description says what the case checks.
  await allure.labels(
    { name: 'requirement', value: spec.requirement },
    { name: 'level', value: spec.level },
    { name: 'operation', value: spec.operation },
    { name: 'profile', value: result.profile },
    { name: 'seed', value: spec.seed },
    { name: 'severity', value: SEVERITY[spec.level] },
    { name: 'epic', value: result.profile },
    { name: 'feature', value: spec.operation },
    { name: 'story', value: spec.requirement },
    { name: 'tag', value: spec.level },
    // pass | fail | warning | skipped | error: what the suite concluded, which Allure's status cannot say for a warning.
    { name: 'outcome', value: result.status },
    ...(result.status === 'warning' ? [{ name: 'tag', value: 'warning' }] : []),
  );
  if (result.status === 'warning') await allure.displayName(`${spec.id}: ${spec.title} — warning (SHOULD/MAY)`);
  await allure.parameter('profile', result.profile);
  await allure.description(
    [
      `**${spec.level} ${spec.requirement}** — ${requirement?.statement ?? ''}`,
      '',
      `Seed: ${spec.seed}`,
      `Case file: \`${spec.file}\``,
      ...(result.skipReason ? ['', `Not applicable: ${result.skipReason}`] : []),
      ...(result.repeat ? ['', `Runs: ${result.repeat.passed}/${result.repeat.runs} passed`] : []),
      ...(result.status === 'warning' ? ['', 'Outcome: **warning** — a SHOULD/MAY check failed; no MUST check did, so the test passes.'] : []),
    ].join('\n'),
  );
  for (const k of result.checks) {
    const label = `${k.status === 'warning' ? `WARNING (${k.level}) ` : ''}${k.check} [${k.level} ${k.requirement}]: ${k.message}`;
    await allure.logStep(label, STEP_STATUS[k.status] as never);
  }
  if (result.checks.length) await allure.attachment('checks.json', JSON.stringify(result.checks, null, 2), 'application/json');
  if (result.exchange) {
    await allure.attachment('exchange.json', JSON.stringify(result.exchange, null, 2), 'application/json');
    const fixtures = Object.fromEntries(Object.entries(spec.request.multipart?.files ?? {}).map(([name, f]) => [name, f.fixture]));
    await allure.attachment('reproduce.sh', `${curlFor({ request: result.exchange.request, target, auth: spec.request.auth, fixtures })}\n`, 'text/plain');
  }
}
