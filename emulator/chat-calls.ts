/**
 * Tool and function calls of a chat reply (emulator/chat.ts): whether the model answers with text or calls
 * which function, and the call's arguments, built from the function's `parameters` schema.
 */
import { type ChatMessage, type ChatRequest, type FunctionSpec, isRecord } from './chat-request.ts';
import { pieces } from './chat-text.ts';
import type { FaultSet } from './faults.ts';
import { countTokens } from './text.ts';

// ─── calls ───────────────────────────────────────────────────────────────────────────────────────

export type Plan = { kind: 'text' } | { kind: 'tool' | 'function'; fn: FunctionSpec };

export function namedChoice(choice: unknown): string | undefined {
  if (!isRecord(choice)) return undefined;
  if (isRecord(choice.function) && typeof choice.function.name === 'string') return choice.function.name;
  return typeof choice.name === 'string' ? choice.name : undefined;
}

export function toolFunctions(req: ChatRequest): FunctionSpec[] {
  return (Array.isArray(req.tools) ? req.tools : []).map((t) => t?.function).filter((f): f is FunctionSpec => isRecord(f) && typeof f.name === 'string');
}

export function plainFunctions(req: ChatRequest): FunctionSpec[] {
  return (Array.isArray(req.functions) ? req.functions : []).filter((f): f is FunctionSpec => isRecord(f) && typeof f.name === 'string');
}

/** Whether the conversation ends with a function's result: `auto` then answers with text. */
function endsWithResult(messages: ChatMessage[]): boolean {
  const last = messages.at(-1);
  return isRecord(last) && (last.role === 'tool' || last.role === 'function');
}

/** What the model does: answer with text, or call which function (tools take precedence over functions). */
export function plan(req: ChatRequest, messages: ChatMessage[], faults: FaultSet): Plan {
  const tools = toolFunctions(req);
  const functions = plainFunctions(req);
  const [kind, available, choice] = tools.length ? (['tool', tools, req.tool_choice] as const) : (['function', functions, req.function_call] as const);
  if (!available.length) return { kind: 'text' };
  if (choice === 'none') return faults.has('chat-tool-choice-none-ignored') ? { kind, fn: available[0] } : { kind: 'text' };
  const named = namedChoice(choice);
  if (named !== undefined) {
    if (faults.has(kind === 'tool' ? 'chat-tool-choice-ignored' : 'chat-function-call-ignored')) return { kind: 'text' };
    // A name the request does not define is rejected in `validate` unless a fault lets it through.
    return { kind, fn: available.find((f) => f.name === named) ?? { name: named } };
  }
  if (choice === 'required') return { kind, fn: available[0] };
  return endsWithResult(messages) ? { kind: 'text' } : { kind, fn: available[0] };
}

/** A value that validates against a (JSON Schema) parameter description: the first enum value, the minimum, … */
export function exampleFor(schema: unknown, name = 'value', depth = 0): unknown {
  if (!isRecord(schema) || depth > 8) return {};
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if ('default' in schema) return schema.default;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  for (const union of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[union];
    if (Array.isArray(branches) && branches.length && schema.type === undefined) return exampleFor(branches[0], name, depth + 1);
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type = types.find((t) => t !== 'null') ?? (isRecord(schema.properties) ? 'object' : types[0]);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const properties = isRecord(schema.properties) ? schema.properties : {};
      for (const [key, sub] of Object.entries(properties)) out[key] = exampleFor(sub, key, depth + 1);
      return out;
    }
    case 'array': {
      const count = typeof schema.minItems === 'number' ? Math.max(1, schema.minItems) : 1;
      return Array.from({ length: count }, () => exampleFor(schema.items, name, depth + 1));
    }
    case 'string': {
      if (schema.format === 'date') return '2024-06-01';
      if (schema.format === 'date-time') return '2024-06-01T00:00:00Z';
      if (schema.format === 'email') return 'someone@example.com';
      if (schema.format === 'uri') return 'https://example.com/';
      const base = name === 'location' || name === 'city' ? 'Paris' : `example ${name}`;
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
      const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
      return base.padEnd(min, 'x').slice(0, max);
    }
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1;
      return type === 'integer' ? Math.ceil(min) : min;
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return {};
  }
}

function callArguments(fn: FunctionSpec, faults: FaultSet): string {
  if (faults.has('chat-tool-arguments-not-json')) return 'location=Paris';
  if (faults.has('chat-tool-arguments-off-schema')) return '{}';
  return JSON.stringify(fn.parameters === undefined ? {} : exampleFor(fn.parameters));
}

/** A call costs its name, its arguments and 3 tokens of framing; max_tokens cuts the arguments short. */
export function generateCall(fn: FunctionSpec, maxTokens: number | undefined, faults: FaultSet): { arguments: string; tokens: number; cut: boolean } {
  const overhead = 3 + countTokens(fn.name);
  const args = pieces(callArguments(fn, faults));
  if (typeof maxTokens === 'number' && overhead + args.length > maxTokens && !faults.has('chat-max-tokens-ignored')) {
    const kept = args.slice(0, Math.max(0, maxTokens - overhead));
    return { arguments: kept.join(''), tokens: Math.min(maxTokens, overhead + kept.length), cut: !faults.has('chat-finish-reason-stop-when-cut') };
  }
  return { arguments: args.join(''), tokens: overhead + args.length, cut: false };
}
