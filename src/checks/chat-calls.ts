/** Chat checks of tool calls and function calls (non-streaming), registered through chat.ts. */
import type { ValidateFunction } from 'ajv';
import { type Ajv2020, createAjv } from '../ajv.ts';
import { describe, everyChoice, messageOf, misuse, unfinished } from './choices.ts';
import { jsonPrefixProblem } from './json-prefix.ts';
import { requestOf } from './request.ts';
import { type CheckDefinition, choicesOf, fail, isRecord, noArgs, pass } from './types.ts';

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

export const CHECKS: CheckDefinition[] = [forcedToolCall, noToolCalls, functionCallShape, callArgumentsJson, callArgumentsSchema];
