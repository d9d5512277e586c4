/**
 * Checks specific to chat completions (non-streaming). Each check: one rule, a name, an args schema; see ./types.ts.
 * Checks that compare the response with the request read the request from `requestBody` (what the case sent).
 * The logprobs checks are in chat-logprobs.ts.
 */
import type { ValidateFunction } from 'ajv';
import { type Ajv2020, createAjv } from '../ajv.ts';
import { jsonPrefixProblem } from './json-prefix.ts';
import { unproven, whenArg } from './proof.ts';
import { NO_CHOICES } from './semantics.ts';
import { type CheckDefinition, type CheckOutcome, fail, isRecord, noArgs, pass, verdict, choicesOf, stopSequences } from './types.ts';

// ─── helpers ─────────────────────────────────────────────────────────────────────────────────────

/** A choice cut by length or by the content filter may end mid-JSON: its JSON need only be a beginning of one. */
const UNFINISHED = new Set(['length', 'content_filter']);

function unfinished(choice: unknown): boolean {
  return isRecord(choice) && typeof choice.finish_reason === 'string' && UNFINISHED.has(choice.finish_reason);
}

/** What one choice breaks: a message, with the finding when another check may report the same defect. */
export type ChoiceProblem = string | { text: string; finding: string };

/** Findings several chat checks may see (CheckOutcome.findings). */
const NO_TEXT = 'chat: a choice without text';
const STOP_IGNORED = 'chat: generation went on past a stop sequence';

export function messageOf(choice: unknown): Record<string, unknown> | undefined {
  return isRecord(choice) && isRecord(choice.message) ? choice.message : undefined;
}

export function requestOf(body: unknown): Record<string, unknown> {
  return isRecord(body) ? body : {};
}

/** Runs `judge` over every choice; the first problem fails the check. No choices at all fails it too. */
export function everyChoice(json: unknown, expected: unknown, judge: (choice: Record<string, unknown>, index: number) => ChoiceProblem | undefined, passMessage = 'as expected'): CheckOutcome {
  const choices = choicesOf(json);
  if (!choices || choices.length === 0) return { ...fail(expected, choices ? '[] (no choices)' : '(no choices array)', 'the response has no choices to judge'), findings: [NO_CHOICES] };
  for (const [i, choice] of choices.entries()) {
    const problem = judge(isRecord(choice) ? choice : {}, i);
    if (problem === undefined) continue;
    const text = typeof problem === 'string' ? problem : problem.text;
    return { ...fail(expected, text, `choices[${i}]: ${text}`), ...(typeof problem === 'string' ? {} : { findings: [problem.finding] }) };
  }
  return pass(expected, `${choices.length} choice(s) checked`, passMessage);
}

/** A choice's text, or the problem when it has none (a call, or a reply the content filter withheld, may have none). */
function textOf(choice: Record<string, unknown>): { content?: string; problem?: ChoiceProblem } {
  const content = messageOf(choice)?.content;
  if (typeof content === 'string') return { content };
  if (choice.finish_reason === 'content_filter' || callsIn(choice)) return {};
  return { problem: { text: `message.content is ${describe(content)}: there is no text to judge`, finding: NO_TEXT } };
}

/** The request's stop sequences (a string or an array of strings), empty ones left out. */
function misuse(message: string): CheckOutcome {
  return { ok: 'error', expected: '(a request the check can judge)', actual: null, message };
}

export function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'absent' : text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** The function a tool_choice or function_call names, if it names one. */
function namedFunction(choice: unknown): string | undefined {
  if (!isRecord(choice)) return undefined;
  if (isRecord(choice.function) && typeof choice.function.name === 'string') return choice.function.name;
  return typeof choice.name === 'string' ? choice.name : undefined;
}

interface Call {
  where: string;
  name: unknown;
  arguments: unknown;
  /** The choice was cut by max_tokens or the content filter: its arguments may legitimately end mid-JSON. */
  cut: boolean;
}

/** Every tool call and function call in the response's choices. */
function callsOf(json: unknown): Call[] {
  const calls: Call[] = [];
  for (const [i, choice] of (choicesOf(json) ?? []).entries()) {
    const message = messageOf(choice);
    if (!message) continue;
    const cut = unfinished(choice);
    if (Array.isArray(message.tool_calls)) {
      message.tool_calls.forEach((call, j) => {
        const fn = isRecord(call) && isRecord(call.function) ? call.function : {};
        calls.push({ where: `choices[${i}].message.tool_calls[${j}]`, name: fn.name, arguments: fn.arguments, cut });
      });
    }
    if (isRecord(message.function_call)) calls.push({ where: `choices[${i}].message.function_call`, name: message.function_call.name, arguments: message.function_call.arguments, cut });
  }
  return calls;
}

function parseObject(text: unknown): { value?: Record<string, unknown>; problem?: string } {
  if (typeof text !== 'string') return { problem: `arguments is ${describe(text)}, not a string` };
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? { value } : { problem: `arguments parse to ${describe(value)}, not a JSON object` };
  } catch {
    return { problem: `arguments ${describe(text)} are not JSON` };
  }
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

// ─── tools and functions ─────────────────────────────────────────────────────────────────────────

export const forcedToolCall: CheckDefinition = {
  name: 'chat-forced-tool-call',
  requirement: 'AOAI-CHAT-TOOL-CHOICE-FORCED',
  category: 'semantics',
  description: "Reads `message.tool_calls` in every choice against the function `tool_choice` names: the number of calls, each call's id, type and function name, and the type of `arguments` where given.",
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const name = namedFunction(requestOf(requestBody).tool_choice);
    if (name === undefined) return misuse('the request\'s tool_choice names no function');
    return everyChoice(response.json, `tool_calls of function "${name}"`, (c) => {
      const calls = messageOf(c)?.tool_calls;
      if (!Array.isArray(calls) || calls.length === 0) return `message.tool_calls is ${describe(calls)}`;
      for (const [j, call] of calls.entries()) {
        if (!isRecord(call)) return `tool_calls[${j}] is ${describe(call)}`;
        if (typeof call.id !== 'string' || call.id.length === 0) return `tool_calls[${j}].id is ${describe(call.id)}`;
        if (call.type !== 'function') return `tool_calls[${j}].type is ${describe(call.type)}`;
        const fn = isRecord(call.function) ? call.function : {};
        if (fn.name !== name) return `tool_calls[${j}] calls ${describe(fn.name)}, not "${name}"`;
        // The seed gives the call's function properties no required column: arguments, when given, are a string.
        if (fn.arguments !== undefined && typeof fn.arguments !== 'string') return `tool_calls[${j}].function.arguments is ${describe(fn.arguments)}, not a string`;
      }
      return undefined;
    });
  },
};

export const noToolCalls: CheckDefinition = {
  name: 'chat-no-tool-calls',
  requirement: 'AOAI-CHAT-TOOL-CHOICE-NONE',
  category: 'semantics',
  description: "Looks for `tool_calls` and `function_call` in every choice's message.",
  needsJson: true,
  args: noArgs,
  run: ({ response }) =>
    everyChoice(response.json, 'a text message and no call', (c) => {
      const message = messageOf(c) ?? {};
      if (Array.isArray(message.tool_calls) && message.tool_calls.length) return `message.tool_calls is ${describe(message.tool_calls)}`;
      if (message.function_call !== undefined && message.function_call !== null) return `message.function_call is ${describe(message.function_call)}`;
      // A reply the content filter withheld may carry no content at all.
      if (c.finish_reason === 'content_filter') return undefined;
      return typeof message.content === 'string' ? undefined : `message.content is ${describe(message.content)}, not text`;
    }),
};

export const functionCallShape: CheckDefinition = {
  name: 'chat-function-call-shape',
  requirement: 'AOAI-CHAT-FUNCTION-CALL-FORCED',
  category: 'semantics',
  description: "Reads `message.function_call` in every choice: its name against the one the request's `function_call` names, and the type of its `arguments`.",
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const name = namedFunction(requestOf(requestBody).function_call);
    if (name === undefined) return misuse("the request's function_call names no function");
    return everyChoice(response.json, `function_call of "${name}" with string arguments`, (c) => {
      const call = messageOf(c)?.function_call;
      if (!isRecord(call)) return `message.function_call is ${describe(call)}`;
      if (call.name !== name) return `function_call.name is ${describe(call.name)}, not "${name}"`;
      return typeof call.arguments === 'string' ? undefined : `function_call.arguments is ${describe(call.arguments)}, not a string`;
    });
  },
};

export const callArgumentsJson: CheckDefinition = {
  name: 'chat-call-arguments-json',
  requirement: 'AOAI-CHAT-CALL-ARGUMENTS-JSON',
  category: 'semantics',
  description: 'Parses the `arguments` of every tool call and function call as JSON; in a choice cut by length or the content filter, accepts the beginning of a JSON object.',
  needsJson: true,
  args: noArgs,
  run({ response }) {
    const calls = callsOf(response.json);
    if (!calls.length) return pass('arguments that parse as JSON objects', 'no calls', 'the response makes no call, so there are no arguments to judge');
    for (const call of calls) {
      if (call.cut) {
        const problem = typeof call.arguments === 'string' ? jsonPrefixProblem(call.arguments, 'object') : `arguments is ${describe(call.arguments)}, not a string`;
        if (problem) return fail('arguments that begin a JSON object (the choice was cut short)', call.arguments, `${call.where}: the arguments of a cut choice are not the beginning of a JSON object, ${problem}`);
        continue;
      }
      const { problem } = parseObject(call.arguments);
      if (problem) return fail('arguments that parse as JSON objects', call.arguments, `${call.where}: ${problem}`);
    }
    return pass('arguments that parse as JSON objects', `${calls.length} call(s) checked`);
  },
};

const parameterAjv: Ajv2020 = createAjv({ strict: false, allErrors: false, validateSchema: false });
/** Compiled `parameters` schemas by their JSON text: each distinct schema is compiled once per process. */
const parameterValidators = new Map<string, ValidateFunction>();

function parameterValidator(parameters: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(parameters);
  let validate = parameterValidators.get(key);
  if (!validate) {
    // A draft marker ($schema) would make AJV look for that meta-schema; the keywords are what matter here.
    const { $schema: _draft, ...schema } = parameters;
    validate = parameterAjv.compile(schema);
    parameterValidators.set(key, validate);
  }
  return validate;
}

/** The `parameters` schema a request gives a function, from tools[] or functions[]. */
function parametersOf(body: unknown, name: unknown): { found: boolean; parameters?: unknown } {
  const req = requestOf(body);
  const tools = Array.isArray(req.tools) ? req.tools.map((t) => (isRecord(t) ? t.function : undefined)) : [];
  const functions = Array.isArray(req.functions) ? req.functions : [];
  const fn = [...tools, ...functions].find((f) => isRecord(f) && f.name === name);
  return isRecord(fn) ? { found: true, parameters: fn.parameters } : { found: false };
}

export const callArgumentsSchema: CheckDefinition = {
  name: 'chat-call-arguments-schema',
  requirement: 'AOAI-CHAT-CALL-ARGUMENTS-SCHEMA',
  category: 'semantics',
  description: "Validates the `arguments` of every call in a finished choice against the `parameters` JSON Schema the request gave that function; a cut choice's partial arguments are left to chat-call-arguments-json.",
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const calls = callsOf(response.json).filter((c) => !c.cut);
    if (!calls.length) return pass("arguments valid against the function's parameters", 'no calls', 'the response makes no call, so there are no arguments to judge');
    for (const call of calls) {
      const { value, problem } = parseObject(call.arguments);
      if (problem) return fail("arguments valid against the function's parameters", call.arguments, `${call.where}: ${problem}`);
      const { found, parameters } = parametersOf(requestBody, call.name);
      if (!found) return fail('a call to a function the request defines', call.name, `${call.where} calls ${describe(call.name)}, which the request does not define`);
      if (!isRecord(parameters)) continue;
      let validate: ValidateFunction;
      try {
        validate = parameterValidator(parameters);
      } catch (err) {
        return { ok: 'error', expected: 'a compilable parameters schema', actual: parameters, message: `the request's parameters schema for ${describe(call.name)} does not compile: ${(err as Error).message}` };
      }
      if (!validate(value)) {
        const first = validate.errors?.[0];
        return fail("arguments valid against the function's parameters", call.arguments, `${call.where}: ${first?.instancePath || '/'} ${first?.message ?? 'is invalid'}`);
      }
    }
    return pass("arguments valid against the function's parameters", `${calls.length} call(s) checked`);
  },
};

/** Whether a choice answers with a tool call or function call. */
export function callsIn(choice: Record<string, unknown>): boolean {
  const message = messageOf(choice);
  return (Array.isArray(message?.tool_calls) && message.tool_calls.length > 0) || isRecord(message?.function_call);
}

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
  forcedToolCall,
  noToolCalls,
  functionCallShape,
  callArgumentsJson,
  callArgumentsSchema,
  dataSourcesContext,
];
