/**
 * The conformance run as vitest tests: one test per planned case, grouped by operation. The plan comes
 * from the CLI through `inject` (./plan.ts); every case runs through one engine session (target health,
 * budget, --max-failures), and its result goes back to the reporter as the test's metadata. A test fails
 * only when a MUST check failed or the case could not be judged; warnings pass. Time limits are the
 * engine's: vitest's own test timeout is off, so no runner message ever stands for a verdict.
 */
import { describe, inject, test } from 'vitest';
import { credentialSource } from '../engine/credential.ts';
import { RunSession } from '../engine/session.ts';
import { Redactor } from '../redact.ts';
import { authOf, headerSecrets, secretHeaderEnvs } from '../target.ts';
import { OPERATIONS } from '../operations.ts';
import type { RunnerMeta } from './meta.ts';
import { describeFailure } from '../results/model.ts';
import { PLAN_KEY } from './plan.ts';
import { requirementsFor } from '../requirements.ts';

const plan = inject(PLAN_KEY);
// The catalogue as it applies to the run's profile: levels, statements and sources of that profile's source.
const requirements = requirementsFor(new Map(plan.requirements.map((r) => [r.id, r])), plan.target.profile);
// The secrets are read here, from the environment the plan names: the plan itself carries none.
const redactor = new Redactor(headerSecrets(plan.target), { headers: Object.keys(secretHeaderEnvs(plan.target)) });
const auth = authOf(plan.target);
const credential = credentialSource(plan.target, { onSecret: (secret) => redactor.add(secret) });
const session = new RunSession({
  target: plan.target,
  // The health probe's credential: a key or token from the environment; a renewed token is not worth one (any answer counts).
  apiKey: 'env' in auth ? (process.env[auth.env] ?? '') : '',
  credential,
  redactor,
  requirements,
  cases: plan.cases,
  repeat: plan.repeat,
  maxRequests: plan.maxRequests,
  maxFailures: plan.maxFailures,
  userSkips: new Map(Object.entries(plan.userSkips)),
  followExternalUrls: plan.followExternalUrls,
  ...plan.health,
});
let snapshots = 0;

describe.concurrent('aoai-conformance', () => {
  for (const operation of OPERATIONS) {
    const cases = plan.cases.filter((c) => c.operation === operation);
    if (cases.length === 0) continue;
    describe(operation, () => {
      for (const spec of cases) {
        const meta: RunnerMeta = { conformanceCase: { id: spec.id, title: spec.title, file: spec.file, operation, requirement: spec.requirement, level: spec.level, seed: spec.seed } };
        test(`${spec.id}: ${spec.title}`, { meta }, async ({ task, skip, signal }) => {
          const result = await session.run(spec, signal);
          task.meta.conformance = result;
          // The run-level findings about the target so far: the reporter keeps the latest snapshot.
          task.meta.conformanceHealth = { seq: ++snapshots, incidents: session.incidents, stoppedEarly: session.stoppedEarly, interrupted: session.interrupted };
          if (result.status === 'skipped') skip(result.skipReason);
          if (result.status === 'fail' || result.status === 'error') throw new Error(describeFailure(result));
        });
      }
    });
  }
});
