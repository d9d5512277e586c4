/**
 * What a response proves about itself. Model-dependent expectations ("a reply cut by max_tokens ends with
 * `length`") may only be judged when the response shows the condition held: a model may stop by itself
 * before the limit, and a server that says so truthfully is right.
 */
import { requestedN } from './request.ts';
import { isRecord } from './types.ts';

export type CutProof = 'cut' | 'not-cut' | 'unknown';

/**
 * Whether usage shows that every choice reached max_tokens ('cut': completion_tokens ≥ max_tokens × choices), that
 * none did ('not-cut': completion_tokens < max_tokens, so no single choice can have reached it), or neither.
 * Echoed prompts and best_of candidates may be counted in usage, so they prove nothing.
 */
export function maxTokensProof(json: unknown, requestBody: unknown): { proof: CutProof; reason: string } {
  const body = isRecord(requestBody) ? requestBody : {};
  const max = body.max_tokens;
  if (typeof max !== 'number') return { proof: 'unknown', reason: 'the request sets no max_tokens' };
  if (body.echo === true) return { proof: 'unknown', reason: 'with echo, usage may count the echoed prompt' };
  if (typeof body.best_of === 'number' && body.best_of > requestedN(body)) return { proof: 'unknown', reason: 'with best_of, usage counts candidates that are not returned' };
  const usage = isRecord(json) ? json.usage : undefined;
  const used = isRecord(usage) ? usage.completion_tokens : undefined;
  if (typeof used !== 'number') return { proof: 'unknown', reason: 'the response reports no usage.completion_tokens' };
  const choices = isRecord(json) && Array.isArray(json.choices) ? Math.max(1, json.choices.length) : 1;
  if (used >= max * choices) return { proof: 'cut', reason: `completion_tokens ${used} ≥ max_tokens ${max} × ${choices} choice(s)` };
  if (used < max) return { proof: 'not-cut', reason: `completion_tokens ${used} < max_tokens ${max}: no choice reached the limit` };
  return { proof: 'unknown', reason: `completion_tokens ${used} does not show which of ${choices} choices reached max_tokens ${max}` };
}

/** The `when` argument of the finish-reason checks: judge only what usage proves. */
export const whenArg = {
  enum: ['cut', 'not-cut'],
  description: 'judge only when usage proves every choice reached max_tokens (cut) or that none did (not-cut)',
} as const;

/** A reason not to judge, or undefined when the response proves the case's condition (or none was asked). */
export function unproven(when: unknown, json: unknown, requestBody: unknown): string | undefined {
  if (when !== 'cut' && when !== 'not-cut') return undefined;
  const { proof, reason } = maxTokensProof(json, requestBody);
  if (proof === when) return undefined;
  return `not judged: the response does not prove the choices were ${when === 'cut' ? 'cut by max_tokens' : 'left uncut'} (${reason})`;
}
