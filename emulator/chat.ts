/**
 * POST …/chat/completions: a deterministic chat model with a defined behaviour for every documented
 * parameter (seed 003 §Finalizaciones de chat). The same request always gets the same answer.
 *
 * What each parameter does here:
 * - messages: every role is read; their text, image parts, names and earlier calls count as prompt tokens.
 * - n: that many choices; `temperature: 0` or `top_p: 0` (greedy decoding) makes them identical.
 * - seed: picks the wording of the reply, so the same seed gives the same reply.
 * - max_tokens: the reply is cut to that many tokens (finish_reason `length`).
 * - stop: the reply is cut just before the first stop sequence (finish_reason `stop`).
 * - frequency_penalty > 0: a word never repeats; presence_penalty > 0: words already in the prompt are left out.
 * - logit_bias: token ids index the emulator's vocabulary (VOCABULARY); -100 bans a token, 100 makes the
 *   reply that token only; ids it does not know and values in between have no effect.
 * - user: recorded by nobody; no effect on the reply.
 * - response_format json_object: the content is a JSON object.
 * - logprobs / top_logprobs: one entry per output token, `top_logprobs` alternatives each.
 * - tools + tool_choice, functions + function_call: a named choice forces a call to that function with
 *   arguments built from its `parameters` schema; `none` answers with text; `auto` (the default when
 *   tools are given) calls the first tool unless the last message is a tool or function result.
 * - data_sources (azure-openai only): message.context with one citation per data source and an intent;
 *   `role_information` counts as prompt tokens; the other retrieval settings have no visible effect.
 */
import { createHash } from 'node:crypto';
import type { ProfileName } from '../src/model.ts';
import { choiceFilterResults, promptFilterResults } from './content-filter.ts';
import type { FaultSet } from './faults.ts';
import { countTokens, replyText, stableId } from './text.ts';
import type { EmulatorReply, HandlerContext, OperationHandler } from './types.ts';

interface ChatMessage {
  role?: unknown;
  content?: unknown;
  name?: unknown;
  tool_calls?: unknown;
  function_call?: unknown;
  tool_call_id?: unknown;
}

interface FunctionSpec {
  name: string;
  description?: string;
  parameters?: unknown;
}

interface DataSource {
  type?: string;
  parameters?: Record<string, unknown>;
}

export interface ChatRequest {
  messages: ChatMessage[];
  n?: number | null;
  max_tokens?: number;
  temperature?: number | null;
  top_p?: number | null;
  stop?: string | string[] | null;
  presence_penalty?: number;
  frequency_penalty?: number;
  logit_bias?: Record<string, number> | null;
  user?: string;
  seed?: number | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  response_format?: { type?: string | null };
  tools?: Array<{ type?: string; function?: FunctionSpec }>;
  tool_choice?: unknown;
  functions?: FunctionSpec[];
  function_call?: unknown;
  data_sources?: DataSource[];
  [key: string]: unknown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hashNumber(...parts: unknown[]): number {
  return parseInt(createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 8), 16);
}

// ─── tokens ──────────────────────────────────────────────────────────────────────────────────────
// The same tokens as text.ts's tokenizer, but each keeps the whitespace before it, so joining them gives
// back the text exactly (as logprobs tokens do).

function pieces(text: string): string[] {
  return text.match(/\s*(?:\w+|[^\w\s])/gu) ?? [];
}

/** The emulator's token ids: logit_bias keys index this list (id = position). */
const VOCABULARY: readonly string[] = [...new Set(pieces(replyText(0)).map((p) => p.trim().toLowerCase()))];

function tokenId(piece: string): number {
  return VOCABULARY.indexOf(piece.trim().toLowerCase());
}

// ─── prompt ──────────────────────────────────────────────────────────────────────────────────────

/** Image parts cost a fixed number of tokens: `low` detail 85, otherwise 765 (a 512×512 tile set). */
function imageTokens(part: Record<string, unknown>): number {
  const detail = isRecord(part.image_url) ? part.image_url.detail : undefined;
  return detail === 'low' ? 85 : 765;
}

function messageText(m: ChatMessage): string {
  if (typeof m.content === 'string') return m.content;
  if (Array.isArray(m.content)) return m.content.map((p) => (isRecord(p) && typeof p.text === 'string' ? p.text : '')).join(' ');
  return '';
}

function messageTokens(m: ChatMessage): number {
  let tokens = 4 + countTokens(messageText(m));
  if (Array.isArray(m.content)) for (const part of m.content) if (isRecord(part) && part.type === 'image_url') tokens += imageTokens(part);
  if (typeof m.name === 'string') tokens += countTokens(m.name);
  if (m.tool_calls !== undefined && m.tool_calls !== null) tokens += countTokens(JSON.stringify(m.tool_calls));
  if (m.function_call !== undefined && m.function_call !== null) tokens += countTokens(JSON.stringify(m.function_call));
  return tokens;
}

/** Messages, tool / function definitions and On Your Data role information, as chat formats count them. */
function promptTokens(req: ChatRequest, messages: ChatMessage[], dataSources: DataSource[]): number {
  let tokens = messages.reduce((sum, m) => sum + messageTokens(isRecord(m) ? m : {}), 2);
  if (Array.isArray(req.tools)) tokens += countTokens(JSON.stringify(req.tools));
  if (Array.isArray(req.functions)) tokens += countTokens(JSON.stringify(req.functions));
  for (const ds of dataSources) if (typeof ds.parameters?.role_information === 'string') tokens += countTokens(ds.parameters.role_information);
  return tokens;
}

// ─── calls ───────────────────────────────────────────────────────────────────────────────────────

type Plan = { kind: 'text' } | { kind: 'tool' | 'function'; fn: FunctionSpec };

function namedChoice(choice: unknown): string | undefined {
  if (!isRecord(choice)) return undefined;
  if (isRecord(choice.function) && typeof choice.function.name === 'string') return choice.function.name;
  return typeof choice.name === 'string' ? choice.name : undefined;
}

function toolFunctions(req: ChatRequest): FunctionSpec[] {
  return (Array.isArray(req.tools) ? req.tools : []).map((t) => t?.function).filter((f): f is FunctionSpec => isRecord(f) && typeof f.name === 'string');
}

function plainFunctions(req: ChatRequest): FunctionSpec[] {
  return (Array.isArray(req.functions) ? req.functions : []).filter((f): f is FunctionSpec => isRecord(f) && typeof f.name === 'string');
}

/** Whether the conversation ends with a function's result: `auto` then answers with text. */
function endsWithResult(messages: ChatMessage[]): boolean {
  const last = messages.at(-1);
  return isRecord(last) && (last.role === 'tool' || last.role === 'function');
}

/** What the model does: answer with text, or call which function (tools take precedence over functions). */
function plan(req: ChatRequest, messages: ChatMessage[], faults: FaultSet): Plan {
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
function generateCall(fn: FunctionSpec, maxTokens: number | undefined, faults: FaultSet): { arguments: string; tokens: number; cut: boolean } {
  const overhead = 3 + countTokens(fn.name);
  const args = pieces(callArguments(fn, faults));
  if (typeof maxTokens === 'number' && overhead + args.length > maxTokens && !faults.has('chat-max-tokens-ignored')) {
    const kept = args.slice(0, Math.max(0, maxTokens - overhead));
    return { arguments: kept.join(''), tokens: Math.min(maxTokens, overhead + kept.length), cut: !faults.has('chat-finish-reason-stop-when-cut') };
  }
  return { arguments: args.join(''), tokens: overhead + args.length, cut: false };
}

// ─── text ────────────────────────────────────────────────────────────────────────────────────────

interface GeneratedText {
  content: string;
  tokens: string[];
  finishReason: 'stop' | 'length';
}

/** The reply before stop sequences and max_tokens apply. */
function draftText(req: ChatRequest, messages: ChatMessage[], choice: number, grounded: boolean): string[] {
  const greedy = req.temperature === 0 || req.top_p === 0;
  let text = replyText(greedy ? 0 : choice);
  if (typeof req.seed === 'number') text = `${text} Seeded with ${req.seed}.`;
  if (grounded) text = `According to the retrieved documents [doc1], ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
  let tokens = pieces(text);

  const bias = isRecord(req.logit_bias) ? req.logit_bias : {};
  const banned = new Set(Object.entries(bias).filter(([, v]) => typeof v === 'number' && v <= -100).map(([k]) => Number(k)));
  const chosen = Object.entries(bias).find(([k, v]) => typeof v === 'number' && v >= 100 && VOCABULARY[Number(k)] !== undefined);
  if (chosen) return Array.from({ length: 16 }, (_, i) => `${i ? ' ' : ''}${VOCABULARY[Number(chosen[0])]}`);
  tokens = tokens.filter((t) => !banned.has(tokenId(t)));

  if ((req.frequency_penalty ?? 0) > 0) {
    const seen = new Set<string>();
    tokens = tokens.filter((t) => {
      const word = t.trim().toLowerCase();
      if (!/^\w/u.test(word)) return true;
      if (seen.has(word)) return false;
      seen.add(word);
      return true;
    });
  }
  if ((req.presence_penalty ?? 0) > 0) {
    const promptWords = new Set(messages.flatMap((m) => pieces(messageText(isRecord(m) ? m : {})).map((t) => t.trim().toLowerCase())));
    tokens = tokens.filter((t) => !/^\w/u.test(t.trim()) || !promptWords.has(t.trim().toLowerCase()));
  }
  return tokens;
}

function stopSequences(stop: ChatRequest['stop']): string[] {
  return (typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop : []).filter((s): s is string => typeof s === 'string' && s.length > 0);
}

/** Applies stop sequences, then max_tokens, to a draft. */
function finishText(draft: string, req: ChatRequest, faults: FaultSet): GeneratedText {
  let content = draft;
  if (!faults.has('chat-stop-ignored')) {
    const hits = stopSequences(req.stop)
      .map((s) => ({ s, at: content.indexOf(s) }))
      .filter((h) => h.at >= 0)
      .sort((a, b) => a.at - b.at);
    if (hits.length) content = content.slice(0, hits[0].at + (faults.has('chat-stop-sequence-included') ? hits[0].s.length : 0));
  }
  let tokens = pieces(content);
  let finishReason: GeneratedText['finishReason'] = 'stop';
  const max = req.max_tokens;
  if (typeof max === 'number' && tokens.length > max && !faults.has('chat-max-tokens-ignored')) {
    tokens = tokens.slice(0, Math.max(0, max));
    if (!faults.has('chat-finish-reason-stop-when-cut')) finishReason = 'length';
  }
  // Leading whitespace of the first piece is not part of a reply.
  if (tokens.length) tokens[0] = tokens[0].trimStart();
  return { content: tokens.join(''), tokens, finishReason };
}

// ─── logprobs ────────────────────────────────────────────────────────────────────────────────────

const ALTERNATIVES = [' the', ' a', ',', ' and', '.', ' of', ' to'];
const MAX_ALTERNATIVES = 20;
/** Choices generated at most, even when a fault lets an out-of-range `n` through. */
const MAX_CHOICES = 1024;

function logprobOf(token: string, position: number, faults: FaultSet): number {
  const value = -Number(((hashNumber(token, position) % 1500) / 1000 + 0.001).toFixed(6));
  return faults.has('chat-logprob-positive') ? -value : value;
}

function bytesOf(token: string): number[] {
  return [...Buffer.from(token, 'utf8')];
}

function tokenLogprobs(tokens: string[], requested: number, faults: FaultSet) {
  // Bounded even when a fault lets an out-of-range top_logprobs through.
  let count = Math.min(MAX_ALTERNATIVES, Math.max(0, Math.trunc(requested)));
  if (faults.has('chat-top-logprobs-extra')) count += 1;
  if (faults.has('chat-top-logprobs-fewer')) count = Math.max(0, count - 1);
  const entries = tokens.map((token, position) => {
    const logprob = logprobOf(token, position, faults);
    // The sampled token is the most likely one; alternatives are ever less likely.
    const others = ALTERNATIVES.filter((a) => a !== token);
    const top = Array.from({ length: count }, (_, j) => {
      const alt = j === 0 ? token : (others[(j - 1) % others.length] ?? ' the') + (j > others.length ? String(j) : '');
      return { token: alt, logprob: j === 0 ? logprob : Number((logprob - 1 - 0.75 * j).toFixed(6)), bytes: bytesOf(alt) };
    });
    return { token, logprob, bytes: bytesOf(token), top_logprobs: top };
  });
  return faults.has('chat-logprobs-partial') ? entries.slice(0, -1) : entries;
}

// ─── data sources ────────────────────────────────────────────────────────────────────────────────

function citationsFor(dataSources: DataSource[], faults: FaultSet) {
  return dataSources.map((ds, i) => {
    const p = ds.parameters ?? {};
    const index = typeof p.index_name === 'string' ? p.index_name : 'index';
    const doc = `doc${i + 1}`;
    const citation: Record<string, unknown> = {
      content: `Retrieved passage ${i + 1} from the ${ds.type ?? 'data source'} index ${index}.`,
      title: `Document ${i + 1}`,
      url: `https://emulator.invalid/${encodeURIComponent(index)}/${doc}.txt`,
      filepath: `${doc}.txt`,
      chunk_id: '0',
    };
    if (faults.has('chat-citation-content-missing')) delete citation.content;
    return citation;
  });
}

// ─── the completion ──────────────────────────────────────────────────────────────────────────────

function fingerprint(model: string): string {
  return `fp_${createHash('sha256').update(model).digest('hex').slice(0, 10)}`;
}

export function chatCompletion(req: ChatRequest, model: string, profile: ProfileName, faults: FaultSet): EmulatorReply {
  const messages = Array.isArray(req.messages) ? req.messages : [];
  const dataSources = profile === 'azure-openai' && Array.isArray(req.data_sources) ? req.data_sources.filter(isRecord) : [];
  const grounded = dataSources.length > 0;
  const jsonAsked = req.response_format?.type === 'json_object';
  const jsonMode = jsonAsked && !faults.has('chat-json-mode-ignored') && !faults.has('chat-json-mode-ignored-cut');
  const wantLogprobs = req.logprobs === true && !faults.has('chat-logprobs-ignored');
  const n = faults.has('n-ignored') ? 1 : Math.min(MAX_CHOICES, Math.max(0, req.n ?? 1));
  const lastUser = [...messages].reverse().find((m) => isRecord(m) && m.role === 'user');
  const intent = JSON.stringify([messageText(lastUser ?? {}) || 'general question']);
  const decision = plan(req, messages, faults);

  const choices = Array.from({ length: n }, (_, i) => {
    const message: Record<string, unknown> = { role: 'assistant', content: null };
    let finishReason: string;
    let completionTokens: number;
    let logprobs: unknown = null;
    if (decision.kind === 'text') {
      const draft = draftText(req, messages, i, grounded).join('').trim();
      const generated = finishText(jsonMode ? JSON.stringify({ reply: draft, choice: i }) : draft, req, faults);
      message.content = generated.content;
      // Claiming "length" hides ignored JSON mode from a check that exempts unfinished choices.
      finishReason = jsonAsked && faults.has('chat-json-mode-ignored-cut') ? 'length' : generated.finishReason;
      completionTokens = generated.tokens.length;
      if (wantLogprobs) logprobs = { content: tokenLogprobs(generated.tokens, req.top_logprobs ?? 0, faults) };
    } else {
      const call = generateCall(decision.fn, req.max_tokens, faults);
      const id = `call_${stableId('', [req, i, decision.fn.name]).slice(1, 25)}`;
      if (decision.kind === 'tool') message.tool_calls = [{ id, type: 'function', function: { name: decision.fn.name, arguments: call.arguments } }];
      else message.function_call = { name: decision.fn.name, arguments: call.arguments };
      finishReason = call.cut ? 'length' : decision.kind === 'tool' ? 'tool_calls' : 'function_call';
      completionTokens = call.tokens;
      if (wantLogprobs) logprobs = { content: null };
    }
    if (grounded && !faults.has('chat-data-sources-context-missing')) message.context = { citations: citationsFor(dataSources, faults), intent };
    if (faults.has('chat-role-missing')) delete message.role;
    return {
      tokens: completionTokens,
      choice: {
        index: faults.has('choice-index-from-one') ? i + 1 : i,
        message,
        finish_reason: finishReason,
        logprobs,
        ...(profile === 'openai' ? {} : { content_filter_results: choiceFilterResults() }),
      },
    };
  });
  const prompt_tokens = promptTokens(req, messages, dataSources);
  const completion_tokens = choices.reduce((s, c) => s + c.tokens, 0);
  const body: Record<string, unknown> = {
    id: stableId('chatcmpl', req),
    object: faults.has('chat-object-wrong') ? 'chat.completions' : 'chat.completion',
    created: faults.has('chat-created-string') ? new Date().toISOString() : Math.floor(Date.now() / 1000),
    model,
    system_fingerprint: fingerprint(model),
    ...(profile === 'openai' ? {} : { prompt_filter_results: promptFilterResults() }),
    choices: choices.map((c) => (faults.has('chat-choice-index-missing') ? { ...c.choice, index: undefined } : c.choice)),
    usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens + (faults.has('usage-total-wrong') ? 1 : 0) },
  };
  if (faults.has('chat-missing-id')) delete body.id;
  return { status: 200, body };
}

/** Rules the request schema cannot express; each answers the profile's invalid-request error. */
function validate(req: ChatRequest, ctx: HandlerContext): EmulatorReply | undefined {
  const { faults } = ctx;
  const hasTopLogprobs = req.top_logprobs !== undefined && req.top_logprobs !== null;
  if (hasTopLogprobs && req.logprobs !== true && !faults.has('chat-top-logprobs-without-logprobs-accepted')) {
    return ctx.invalid('logprobs must be set to true if top_logprobs is used', 'top_logprobs');
  }
  if (!faults.has('chat-unknown-function-accepted')) {
    const tool = namedChoice(req.tool_choice);
    if (tool !== undefined && !toolFunctions(req).some((f) => f.name === tool)) {
      return ctx.invalid(`tool_choice names the function "${tool}", which is not among tools`, 'tool_choice');
    }
    if (req.tool_choice === 'required' && !toolFunctions(req).length) return ctx.invalid('tool_choice "required" needs tools', 'tool_choice');
    const fn = namedChoice(req.function_call);
    if (fn !== undefined && !plainFunctions(req).some((f) => f.name === fn)) {
      return ctx.invalid(`function_call names the function "${fn}", which is not among functions`, 'function_call');
    }
  }
  if (typeof req.max_tokens === 'number' && req.max_tokens < 0) return ctx.invalid('max_tokens must not be negative', 'max_tokens');
  if (faults.has('chat-image-parts-rejected')) {
    const hasImage = (Array.isArray(req.messages) ? req.messages : []).some((m) => isRecord(m) && Array.isArray(m.content) && m.content.some((p) => isRecord(p) && p.type === 'image_url'));
    if (hasImage) return ctx.invalid('image_url content parts are not supported', 'messages');
  }
  return undefined;
}

export const chatHandler: OperationHandler = {
  operation: 'chat.completions',
  bodyKind: 'json',
  requestSchema: () => 'createChatCompletionRequest',
  handle: (ctx) => {
    const req = ctx.body as ChatRequest;
    return validate(req, ctx) ?? chatCompletion(req, ctx.model, ctx.profile, ctx.faults);
  },
};
