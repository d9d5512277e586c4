/** Invariants beyond the schema: what the numbers and lists in a response must agree on. */
import { requestedChoices } from './request.ts';
import { type CheckDefinition, fail, isRecord, noArgs, pass, verdict, choicesOf } from './types.ts';

/** The finding of a response without any choice, which every per-choice check sees (CheckOutcome.findings). */
export const NO_CHOICES = 'choices: none at all';

export const objectType: CheckDefinition = {
  name: 'object-type',
  category: 'semantics',
  description: "Compares the body's `object` with `equals`.",
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
  requirement: 'AOAI-USAGE-TOTAL',
  category: 'semantics',
  description: "Adds usage.prompt_tokens and usage.completion_tokens (0 where the operation has no completion tokens) and compares the sum with usage.total_tokens; a body without usage, or without numeric counts, is not judged (whether usage is there is another check's).",
  needsJson: true,
  args: noArgs,
  run({ response }) {
    const usage = isRecord(response.json) ? response.json.usage : undefined;
    const expected = 'total_tokens = prompt_tokens + completion_tokens, when usage is reported';
    // usage is optional in chat ("usada | CompletionUsage | No"); where it is required the schema check says so.
    if (!isRecord(usage)) return pass(expected, usage ?? '(absent)', 'not judged: the response reports no usage');
    const { prompt_tokens: p, completion_tokens: c = 0, total_tokens: t } = usage as Record<string, unknown>;
    if (typeof p !== 'number' || typeof c !== 'number' || typeof t !== 'number') return pass(expected, usage, 'not judged: usage lacks a numeric count to add up (the schema check judges the counts themselves)');
    return verdict(p + c === t, `total_tokens = ${p} + ${c} = ${p + c}`, `total_tokens = ${t}`, `total_tokens ${t} ≠ prompt_tokens ${p} + completion_tokens ${c}`);
  },
};

export const choiceCount: CheckDefinition = {
  name: 'choice-count',
  requirement: 'AOAI-CHAT-N-CHOICES',
  category: 'semantics',
  description: "Counts the `choices` of the body against the request's `n` (default 1).",
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const n = requestedChoices(requestBody);
    const choices = choicesOf(response.json);
    if (!choices) return { ...fail(`${n} choices`, '(no choices array)', 'choices is missing'), findings: [NO_CHOICES] };
    const outcome = verdict(choices.length === n, n, choices.length, `${choices.length} choices for n = ${n}`);
    return choices.length === 0 ? { ...outcome, findings: [NO_CHOICES] } : outcome;
  },
};

export const choiceIndexes: CheckDefinition = {
  name: 'choice-indexes',
  requirement: 'AOAI-CHOICE-INDEXES',
  category: 'semantics',
  description: 'Collects the `index` of every choice that has one: integers, in 0..n-1, none twice, in any order. `index` is optional (seed 003 "índice | integer | No"): a choice without one is not judged.',
  needsJson: true,
  args: noArgs,
  run({ response }) {
    const choices = choicesOf(response.json);
    // No choice has no index to judge: that is choice-count's finding (n is at least 1).
    if (!choices || choices.length === 0) return { ...fail('indexes 0..n-1', choices ? '[]' : '(no choices array)', choices ? 'there are no choices, so no indexes' : 'choices is missing'), findings: [NO_CHOICES] };
    const indexes = choices.map((c) => (isRecord(c) ? c.index : undefined));
    const expected = `each index given is one of 0..${choices.length - 1}, at most once`;
    const given = indexes.filter((i) => i !== undefined);
    if (given.length === 0) return pass(expected, indexes, 'not judged: no choice carries an index');
    const wrong = given.filter((i) => !(Number.isInteger(i) && (i as number) >= 0 && (i as number) < choices.length));
    const repeated = given.filter((i, at) => given.indexOf(i) !== at);
    if (wrong.length === 0 && repeated.length === 0) return pass(expected, indexes);
    return fail(expected, indexes, wrong.length ? `choice indexes ${JSON.stringify(wrong)} are outside 0..${choices.length - 1}` : `choice index ${JSON.stringify(repeated[0])} is given to more than one choice`);
  },
};
