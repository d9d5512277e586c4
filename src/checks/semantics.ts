/** Invariants beyond the schema: what the numbers and lists in a response must agree on. */
import { type CheckDefinition, fail, isRecord, noArgs, pass, verdict, choicesOf, requestedN } from './types.ts';

/** The finding of a response without any choice, which every per-choice check sees (CheckOutcome.findings). */
export const NO_CHOICES = 'choices: none at all';

export const objectType: CheckDefinition = {
  name: 'object-type',
  category: 'semantics',
  description: 'The `object` field names the documented object type.',
  needsJson: true,
  args: {
    type: 'object',
    additionalProperties: false,
    required: ['equals'],
    properties: { equals: { type: 'string', minLength: 1 } },
  },
  run({ response, args }) {
    const actual = isRecord(response.json) ? response.json.object : undefined;
    return verdict(actual === args.equals, args.equals, actual ?? '(absent)', `object is ${JSON.stringify(actual)}, expected ${JSON.stringify(args.equals)}`);
  },
};

export const usageSums: CheckDefinition = {
  name: 'usage-sums',
  category: 'semantics',
  description: 'usage.total_tokens = usage.prompt_tokens + usage.completion_tokens (completion_tokens counts as 0 where the operation has none).',
  needsJson: true,
  args: noArgs,
  run({ response }) {
    const usage = isRecord(response.json) ? response.json.usage : undefined;
    if (!isRecord(usage)) return fail('a usage object', usage ?? '(absent)', 'usage is missing, so its sums cannot hold');
    const { prompt_tokens: p, completion_tokens: c = 0, total_tokens: t } = usage as Record<string, unknown>;
    if (typeof p !== 'number' || typeof c !== 'number' || typeof t !== 'number') {
      return fail('numeric prompt_tokens, completion_tokens, total_tokens', usage, 'usage counts are not all numbers');
    }
    return verdict(p + c === t, `total_tokens = ${p} + ${c} = ${p + c}`, `total_tokens = ${t}`, `total_tokens ${t} ≠ prompt_tokens ${p} + completion_tokens ${c}`);
  },
};

export const choiceCount: CheckDefinition = {
  name: 'choice-count',
  category: 'semantics',
  description: 'The response has as many choices as the request asked for with `n` (default 1).',
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const n = requestedN(requestBody);
    const choices = choicesOf(response.json);
    if (!choices) return { ...fail(`${n} choices`, '(no choices array)', 'choices is missing'), findings: [NO_CHOICES] };
    const outcome = verdict(choices.length === n, n, choices.length, `${choices.length} choices for n = ${n}`);
    return choices.length === 0 ? { ...outcome, findings: [NO_CHOICES] } : outcome;
  },
};

export const choiceIndexes: CheckDefinition = {
  name: 'choice-indexes',
  category: 'semantics',
  description: 'Choice indexes are exactly 0..n-1, each once.',
  needsJson: true,
  args: noArgs,
  run({ response }) {
    const choices = choicesOf(response.json);
    // No choice has no index to judge: that is choice-count's finding (n is at least 1).
    if (!choices || choices.length === 0) return { ...fail('indexes 0..n-1', choices ? '[]' : '(no choices array)', choices ? 'there are no choices, so no indexes' : 'choices is missing'), findings: [NO_CHOICES] };
    const indexes = choices.map((c) => (isRecord(c) ? c.index : undefined));
    const expected = choices.map((_, i) => i);
    const sorted = [...indexes].sort((a, b) => Number(a) - Number(b));
    const ok = sorted.every((v, i) => v === i);
    return ok ? pass(expected, indexes) : fail(expected, indexes, `choice indexes are ${JSON.stringify(indexes)}, expected each of 0..${choices.length - 1} once`);
  },
};
