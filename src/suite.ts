/**
 * Turns the cases of one operation into vitest tests: one test per case, its static metadata on the
 * task for reporters (`meta.conformanceCase`), its result added at run time (`meta.conformance`).
 * A test fails only when a MUST check failed or the case could not be judged; warnings pass.
 */
import { describe, test } from 'vitest';
import { loadCases, loadRequirements } from './cases/load.ts';
import { runCase, type RunContext } from './engine/run-case.ts';
import type { CaseResult, CaseSpec, OperationId } from './model.ts';
import { Redactor } from './redact.ts';
import { RequestBudget } from './engine/retry.ts';
import { readRunConfig, selectCases } from './run-config.ts';
import { inShard, shardFromEnv } from './shard.ts';
import { ALLURE_ENV, caseError, describeForAllure } from '../reporters/allure.ts';

export interface CaseMeta {
  id: string;
  title: string;
  file: string;
  operation: OperationId;
  requirement: string;
  level: CaseSpec['level'];
  seed: string;
}

declare module 'vitest' {
  interface TaskMeta {
    conformanceCase?: CaseMeta;
    conformance?: CaseResult;
  }
}

export function describeFailure(result: CaseResult): string {
  const bad = result.checks.filter((c) => c.status === 'fail' || c.status === 'error');
  return bad.map((c) => `[${c.level} ${c.requirement}] ${c.check}: ${c.message}`).join('\n');
}

let budget: RequestBudget | undefined;
/** One budget per run: every suite file runs in the same worker (vitest.conformance.config.ts: isolate false). */
function sharedBudget(maxRequests: number | undefined): RequestBudget | undefined {
  if (maxRequests === undefined) return undefined;
  budget ??= new RequestBudget(maxRequests);
  return budget;
}

export function defineConformanceSuite(operation: OperationId): void {
  const config = readRunConfig();
  const requirements = loadRequirements();
  // The shard is dealt over every selected case, then narrowed to this suite's operation.
  const cases = inShard(selectCases(loadCases(undefined, requirements), config.filters), shardFromEnv()).filter((c) => c.operation === operation);
  const allure = process.env[ALLURE_ENV] === '1';
  const apiKey = process.env[config.target.apiKeyEnv] ?? '';
  const ctx: RunContext = { target: config.target, apiKey, requirements, redactor: new Redactor([apiKey]), repeat: config.repeat, budget: sharedBudget(config.maxRequests) };

  describe.concurrent(operation, () => {
    for (const spec of cases) {
      const meta: CaseMeta = { id: spec.id, title: spec.title, file: spec.file, operation, requirement: spec.requirement, level: spec.level, seed: spec.seed };
      test(`${spec.id}: ${spec.title}`, { meta: { conformanceCase: meta } }, async ({ task, skip }) => {
        const result = await runCase(spec, ctx);
        task.meta.conformance = result;
        if (allure) await describeForAllure(spec, result, requirements, config.target.apiKeyEnv);
        if (result.status === 'skipped') skip(result.skipReason);
        if (result.status === 'fail' || result.status === 'error') throw caseError(result, describeFailure(result));
      });
    }
  });
}
