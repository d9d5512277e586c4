/**
 * Checks specific to chat completions (non-streaming). Each check: one rule, a name, an args schema; see ./types.ts.
 * Checks that compare the response with the request read the request from `requestBody` (what the case sent).
 * The logprobs checks are in chat-logprobs.ts, the checks of tool and function calls in chat-calls.ts.
 */
import { CHECKS as CALL_CHECKS } from './chat-calls.ts';
import { callsIn, type ChoiceProblem, describe, everyChoice, messageOf, misuse, unfinished } from './choices.ts';
import { jsonPrefixProblem } from './json-prefix.ts';
import { unproven, whenArg } from './proof.ts';
import { requestOf, stopSequences } from './request.ts';
import { type CheckDefinition, isRecord, noArgs, pass, verdict, choicesOf } from './types.ts';

/** Findings several chat checks may see (CheckOutcome.findings). */
const NO_TEXT = 'chat: a choice without text';
const STOP_IGNORED = 'chat: generation went on past a stop sequence';

/** A choice's text, or the problem when it has none (a call, or a reply the content filter withheld, may have none). */
function textOf(choice: Record<string, unknown>): { content?: string; problem?: ChoiceProblem } {
  const content = messageOf(choice)?.content;
  if (typeof content === 'string') return { content };
  if (choice.finish_reason === 'content_filter' || callsIn(choice)) return {};
  return { problem: { text: `message.content is ${describe(content)}: there is no text to judge`, finding: NO_TEXT } };
}

// ─── role and finish reason ──────────────────────────────────────────────────────────────────────

export const assistantRole: CheckDefinition = {
  name: 'chat-assistant-role',
  requirement: 'AOAI-CHAT-ASSISTANT-ROLE',
  category: 'semantics',
  description: 'Reads `message.role` in every choice of the body.',
  needsJson: true,
  args: noArgs,
  run: ({ response }) => everyChoice(response.json, 'message.role = "assistant"', (c) => (messageOf(c)?.role === 'assistant' ? undefined : `message.role is ${describe(messageOf(c)?.role)}`)),
};

export const finishReason: CheckDefinition = {
  name: 'chat-finish-reason',
  category: 'semantics',
  description: "Compares every choice's finish_reason with `equals` (one value or a list); with `when`, only if the response's usage proves the choices were cut by max_tokens (or were not).",
  needsJson: true,
  args: {
    type: 'object',
    additionalProperties: false,
    required: ['equals'],
    properties: {
      equals: { oneOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }] },
      when: whenArg,
    },
  },
  run({ response, args, requestBody }) {
    const allowed = ([] as string[]).concat(args.equals as string | string[]);
    const expected = `finish_reason ${allowed.map((a) => `"${a}"`).join(' or ')}`;
    const skip = unproven(args.when, response.json, requestBody);
    if (skip) return pass(expected, choicesOf(response.json)?.map((c) => (isRecord(c) ? c.finish_reason : undefined)) ?? '(no choices)', skip);
    return everyChoice(response.json, expected, (c) => (typeof c.finish_reason === 'string' && allowed.includes(c.finish_reason) ? undefined : `finish_reason is ${describe(c.finish_reason)}`));
  },
};

// ─── length and stop ─────────────────────────────────────────────────────────────────────────────

export const maxTokensRespected: CheckDefinition = {
  name: 'chat-max-tokens-respected',
  requirement: 'AOAI-CHAT-MAX-TOKENS',
  category: 'semantics',
  description: 'Compares usage.completion_tokens with max_tokens × the number of choices.',
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const max = requestOf(requestBody).max_tokens;
    if (typeof max !== 'number') return misuse('the request sets no max_tokens');
    const choices = choicesOf(response.json)?.length ?? 0;
    const usage = isRecord(response.json) ? response.json.usage : undefined;
    const used = isRecord(usage) ? usage.completion_tokens : undefined;
    // usage is optional in the contract (and usage-sums judges its absence): nothing to compare here.
    if (typeof used !== 'number') return pass(`completion_tokens ≤ ${max} per choice`, describe(used), 'not judged: the response reports no usage.completion_tokens');
    const limit = max * Math.max(1, choices);
    return verdict(used <= limit, `completion_tokens ≤ ${limit} (max_tokens ${max} × ${Math.max(1, choices)} choice(s))`, used, `completion_tokens ${used} exceeds max_tokens ${max} × ${Math.max(1, choices)} choice(s)`);
  },
};

/** The sequence occurs somewhere other than at the very end of the content. */
function goesOnAfter(content: string, sequence: string): boolean {
  const at = content.indexOf(sequence);
  return at >= 0 && at !== content.length - sequence.length;
}

export const stopSequenceHonoured: CheckDefinition = {
  name: 'chat-stop-sequence-honoured',
  requirement: 'AOAI-CHAT-STOP-HONOURED',
  category: 'semantics',
  description: "Searches each choice's content for the request's stop sequences: one that occurs before the end of the content fails (one at the very end is allowed).",
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const stops = stopSequences(requestBody);
    if (!stops.length) return misuse('the request sets no stop sequence');
    return everyChoice(response.json, `no text after any of ${describe(stops)}`, (c) => {
      const { content, problem } = textOf(c);
      if (content === undefined) return problem;
      const hit = stops.find((s) => goesOnAfter(content, s));
      return hit === undefined ? undefined : { text: `the content goes on after the stop sequence ${describe(hit)}: ${describe(content)}`, finding: STOP_IGNORED };
    });
  },
};

export const stopSequenceAbsent: CheckDefinition = {
  name: 'chat-stop-sequence-absent',
  requirement: 'AOAI-CHAT-STOP-EXCLUDED',
  category: 'semantics',
  description: "Searches each choice's content for the request's stop sequences.",
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const stops = stopSequences(requestBody);
    if (!stops.length) return misuse('the request sets no stop sequence');
    return everyChoice(response.json, `content free of ${describe(stops)}`, (c) => {
      const { content, problem } = textOf(c);
      if (content === undefined) return problem;
      const hit = stops.find((s) => content.includes(s));
      if (hit === undefined) return undefined;
      const text = `the content contains the stop sequence ${describe(hit)}: ${describe(content)}`;
      // A sequence with text after it means generation ignored it: chat-stop-sequence-honoured's finding.
      return goesOnAfter(content, hit) ? { text, finding: STOP_IGNORED } : text;
    });
  },
};

// ─── JSON mode ───────────────────────────────────────────────────────────────────────────────────


export const jsonObjectContent: CheckDefinition = {
  name: 'chat-json-object-content',
  requirement: 'AOAI-CHAT-JSON-MODE',
  category: 'semantics',
  description: 'Parses the content of every choice as JSON and looks for an object; in a choice cut by length or the content filter, accepts the beginning of one.',
  needsJson: true,
  args: noArgs,
  run: ({ response }) =>
    everyChoice(response.json, 'content that parses as a JSON object', (c) => {
      const content = messageOf(c)?.content;
      if (unfinished(c)) {
        // Cut short, the content need only begin a JSON object: plain text is caught however it ends.
        if (content === null && c.finish_reason === 'content_filter') return undefined;
        if (typeof content !== 'string') return `content is ${describe(content)}, not a string`;
        const problem = jsonPrefixProblem(content, 'object');
        return problem === undefined ? undefined : `content cut by ${String(c.finish_reason)} is not the beginning of a JSON object, ${problem}: ${describe(content)}`;
      }
      if (typeof content !== 'string') return `content is ${describe(content)}, not a string`;
      try {
        const value: unknown = JSON.parse(content);
        return isRecord(value) ? undefined : `content parses to ${describe(value)}, not a JSON object`;
      } catch {
        return `content is not JSON: ${describe(content)}`;
      }
    }),
};

// ─── On Your Data ────────────────────────────────────────────────────────────────────────────────

export const dataSourcesContext: CheckDefinition = {
  name: 'chat-data-sources-context',
  requirement: 'AOAI-CHAT-DATA-SOURCES-CONTEXT',
  category: 'semantics',
  description: 'Reads `message.context` of every choice for its `citations` (a list) and `intent` (a string).',
  needsJson: true,
  args: noArgs,
  run: ({ response }) =>
    everyChoice(response.json, 'message.context {citations: [...], intent: "..."}', (c) => {
      const context = messageOf(c)?.context;
      if (!isRecord(context)) return `message.context is ${describe(context)}`;
      if (!Array.isArray(context.citations)) return `message.context.citations is ${describe(context.citations)}, not a list`;
      return typeof context.intent === 'string' ? undefined : `message.context.intent is ${describe(context.intent)}, not a string`;
    }),
};

export const CHECKS: CheckDefinition[] = [
  assistantRole,
  finishReason,
  maxTokensRespected,
  stopSequenceHonoured,
  stopSequenceAbsent,
  jsonObjectContent,
  ...CALL_CHECKS,
  dataSourcesContext,
];
