/**
 * Judges besides the suite's own checks, run on request after them (src/engine/run-case.ts): today the official
 * openai client (--sdk-judge, ./official-client.ts), loaded only when asked for.
 */
import type { CaseSpec, CheckResult, Exchange, Requirement } from '../model.ts';
import type { Target } from '../target.ts';

/** The check name and requirement of the official client's verdict (kept here so that naming them loads no client). */
export const OFFICIAL_CLIENT_CHECK = 'official-client';
export const OFFICIAL_CLIENT_REQUIREMENT = 'SDK-OFFICIAL-CLIENT-PARSES';

export async function secondJudges(spec: CaseSpec, ctx: { target: Target; requirements: Map<string, Requirement> }, exchange: Exchange, requestBody: unknown): Promise<CheckResult[]> {
  if (!ctx.target.sdkJudge) return [];
  const { officialClientCheck } = await import('./official-client.ts');
  const result = await officialClientCheck(spec, ctx.target, exchange, requestBody, ctx.requirements.get(OFFICIAL_CLIENT_REQUIREMENT)?.level ?? 'SHOULD');
  return result ? [result] : [];
}
