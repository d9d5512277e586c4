/**
 * Streaming (`stream: true`) for chat and completions: turns the full non-stream reply a handler produced
 * into an SSE reply whose chunks reassemble into exactly that reply.
 *
 * Two stream shapes, both legal, selectable per request so tests can prove each passes:
 *   openai  plain OpenAI-style chunks (default in the openai and model-inference profiles);
 *   azure   what Azure OpenAI sends (default in the azure-openai profile): a first event with `choices: []`,
 *           empty id/object/model and created 0 carrying prompt_filter_results, an SSE comment, many tokens
 *           per chunk, content_filter_results on chunks, and asynchronous-filter annotation events without a
 *           `delta` (one of them after the finish chunk).
 * Request headers `x-emulator-stream-shape: azure|openai` and `x-emulator-stream-eol: lf|crlf|cr` override the
 * shape and the line ending. Usage in a stream is version-gated: only the openai profile honours
 * `stream_options.include_usage` (2024-06-01 and Model Inference 2024-04-01-preview do not define it).
 * The stream faults (emulator/faults/stream.ts) are applied here, each breaking one rule.
 */
import type { OperationId, ProfileName } from '../src/model.ts';
import { choiceFilterResults, promptFilterResults } from './content-filter.ts';
import type { FaultSet } from './faults.ts';
import type { EmulatorReply, HandlerContext } from './types.ts';

export type StreamStyle = 'azure' | 'openai';
export type LineEnding = 'lf' | 'crlf' | 'cr';

export interface StreamShape {
  style: StreamStyle;
  eol: LineEnding;
}

export const STREAM_SHAPE_HEADER = 'x-emulator-stream-shape';
export const STREAM_EOL_HEADER = 'x-emulator-stream-eol';

const EOL: Record<LineEnding, string> = { lf: '\n', crlf: '\r\n', cr: '\r' };
/** How long a hung stream stays silent: far beyond any client's idle timeout (the timer never keeps the process alive). */
const HANG_MS = 10 * 60_000;
/** Events a hung stream sends before it falls silent. */
const EVENTS_BEFORE_HANG = 3;

type Json = Record<string, unknown>;

/** One SSE item before serialisation: a data event (a chunk object or a literal payload) or a comment. */
export type StreamItem = { kind: 'chunk'; chunk: Json } | { kind: 'raw'; data: string } | { kind: 'comment'; text: string };

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Whether the server answers a request as a stream: `stream: true`, or anything at all under the fault that
 * serves SSE to non-stream requests. Only chat and completions stream (emulator/operations.ts).
 */
export function wantsStream(body: Record<string, unknown>, faults: FaultSet): boolean {
  return body.stream === true || faults.has('stream-sse-for-non-stream');
}

/** The shape a request gets: the headers' choice, else the profile's default (which `byDefault` may change). */
export function streamShapeFor(profile: ProfileName, headers: HandlerContext['headers'], byDefault: (style: StreamStyle) => StreamStyle = (s) => s): StreamShape {
  const shape = String(headers[STREAM_SHAPE_HEADER] ?? '').trim().toLowerCase();
  const eol = String(headers[STREAM_EOL_HEADER] ?? '').trim().toLowerCase();
  return {
    style: shape === 'azure' || shape === 'openai' ? shape : byDefault(profile === 'azure-openai' ? 'azure' : 'openai'),
    eol: eol === 'crlf' || eol === 'cr' ? eol : 'lf',
  };
}

export function toStream(reply: EmulatorReply, ctx: HandlerContext): EmulatorReply {
  const { faults } = ctx;
  if (faults.has('stream-json-for-stream') || !isRecord(reply.body)) return reply;
  // Seed 003, completions best_of: "Los resultados no se pueden transmitir" (the results cannot be streamed).
  const bestOf = ctx.body.best_of;
  if (ctx.operation === 'completions' && typeof bestOf === 'number' && bestOf > 1 && !faults.has('stream-best-of-streamed')) {
    return ctx.invalid('best_of results cannot be streamed: send stream false, or best_of 1', 'best_of');
  }
  // Legal variations (emulator/variations.ts) may choose the default shape, rewrite the items and the framed text.
  const variations = ctx.variations;
  const info = { profile: ctx.profile, operation: ctx.operation, request: ctx.body, status: 200 };
  const shape = streamShapeFor(ctx.profile, ctx.headers, (style) => variations?.streamStyle(style, info) ?? style);
  const includeUsage = ctx.profile === 'openai' && isRecord(ctx.body.stream_options) && ctx.body.stream_options.include_usage === true;
  const planned = planStream(reply.body, { operation: ctx.operation, profile: ctx.profile, style: shape.style, includeUsage, faults });
  const plan = variations ? variations.plan(planned, info) : planned;
  const framed = serialise(plan, EOL[shape.eol], faults);
  return {
    status: 200,
    headers: reply.headers,
    contentType: faults.has('stream-content-type-missing') ? '' : faults.has('stream-content-type-text') ? 'text/plain; charset=utf-8' : 'text/event-stream; charset=utf-8',
    stream: variations ? variations.frames(framed, info) : framed,
  };
}

export interface PlanOptions {
  operation: OperationId;
  profile: ProfileName;
  style: StreamStyle;
  includeUsage: boolean;
  faults: FaultSet;
}

/** The stream's items for a full reply body, faults applied (without the [DONE] sentinel, which serialise adds). */
export function planStream(body: Json, opts: PlanOptions): StreamItem[] {
  const chat = opts.operation === 'chat.completions';
  const choices = (Array.isArray(body.choices) ? body.choices : []).filter(isRecord);
  const steps = choices.map((choice, i) => (chat ? chatSteps(choice, opts) : completionSteps(choice, opts)).map((s) => ({ ...s, index: choice.index ?? i })));
  applyStepFaults(steps, chat, opts.faults);

  const envelope: Json = {
    id: body.id,
    object: chat ? 'chat.completion.chunk' : 'text_completion',
    created: body.created,
    model: body.model,
    ...('system_fingerprint' in body ? { system_fingerprint: body.system_fingerprint } : {}),
  };
  const azure = opts.style === 'azure';
  const items: StreamItem[] = [];
  if (azure) {
    // Seed 003: in a streaming request the results of different prompts may arrive at different times or in different
    // orders. One event per prompt, last prompt first.
    const prompts = Array.isArray(body.prompt_filter_results) && body.prompt_filter_results.length > 0 ? body.prompt_filter_results : promptFilterResults();
    for (const result of [...prompts].reverse()) items.push({ kind: 'chunk', chunk: { choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [result] } });
    items.push({ kind: 'comment', text: ' azure content filter: prompt annotations sent' });
  }

  // Interleave the choices round-robin, as n > 1 streams do; Azure's asynchronous filter annotates mid-way.
  const longest = Math.max(0, ...steps.map((s) => s.length));
  const annotateAt = Math.floor(longest / 2);
  for (let step = 0; step < longest; step++) {
    for (const choiceSteps of steps) {
      const s = choiceSteps[step];
      if (s) items.push({ kind: 'chunk', chunk: { ...envelope, choices: [s], ...(opts.includeUsage ? { usage: null } : {}) } });
    }
    if (azure && step === annotateAt && longest > 2) items.push(...annotations(choices, steps));
  }
  if (azure) items.push(...annotations(choices, steps));

  const usage = isRecord(body.usage) ? { ...body.usage } : undefined;
  if (usage && opts.faults.has('stream-usage-total-wrong')) usage.total_tokens = Number(usage.total_tokens) + 1;
  if (usage && opts.includeUsage && !opts.faults.has('stream-usage-ignored')) items.push({ kind: 'chunk', chunk: { ...envelope, choices: [], usage } });
  if (usage && !opts.includeUsage && opts.faults.has('stream-usage-unrequested')) {
    const last = [...items].reverse().find((it): it is { kind: 'chunk'; chunk: Json } => it.kind === 'chunk' && it.chunk.id === body.id);
    if (last) last.chunk = { ...last.chunk, usage };
  }

  applyChunkFaults(items, body, opts);
  return items;
}

// ---- per-choice steps ------------------------------------------------------------------------------------

/** One chunk's `choices[0]` for a choice, before the index is set. */
type Step = Json;

/** Token-ish pieces that concatenate back to the text exactly (whitespace kept with the following word). */
export function splitText(text: string): string[] {
  return text.match(/\s*\S+|\s+/gu) ?? [];
}

/** Groups consecutive items: the plain shape sends one or two tokens per chunk, Azure several (its filter buffers). */
function group<T>(items: T[], style: StreamStyle): T[][] {
  const sizes = style === 'azure' ? [4, 6, 5] : [1, 2, 1, 3];
  const out: T[][] = [];
  for (let i = 0, k = 0; i < items.length; k++) {
    const size = sizes[k % sizes.length];
    out.push(items.slice(i, i + size));
    i += size;
  }
  return out;
}

/** Splits a string into pieces of a few characters (tool-call arguments arrive in such fragments). */
function slices(text: string, size = 8): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

interface ContentPiece {
  text: string;
  /** The log-probability entries of the piece's tokens (chat `logprobs.content` items), when requested. */
  logprobs?: unknown[];
}

/**
 * Content pieces with their logprob entries. When the entries' tokens spell the content, pieces follow token
 * boundaries; otherwise the text is split by words and the entries are shared out in order.
 */
function contentPieces(text: string, entries: unknown[] | undefined, style: StreamStyle): ContentPiece[] {
  if (!entries || entries.length === 0) return group(splitText(text), style).map((g) => ({ text: g.join('') }));
  const tokens = entries.map((e) => (isRecord(e) && typeof e.token === 'string' ? e.token : undefined));
  if (tokens.every((t) => t !== undefined) && tokens.join('') === text) {
    return group(entries, style).map((g) => ({ text: g.map((e) => (e as Json).token as string).join(''), logprobs: g }));
  }
  const words = group(splitText(text), style).map((g) => g.join(''));
  const count = Math.max(1, Math.min(words.length, entries.length));
  return Array.from({ length: count }, (_, i) => ({
    text: words.slice(Math.floor((i * words.length) / count), Math.floor(((i + 1) * words.length) / count)).join(''),
    logprobs: entries.slice(Math.floor((i * entries.length) / count), Math.floor(((i + 1) * entries.length) / count)),
  }));
}

function chatSteps(choice: Json, opts: PlanOptions): Step[] {
  const azure = opts.style === 'azure';
  const message = isRecord(choice.message) ? choice.message : {};
  const { role = 'assistant', content = null, tool_calls: toolCalls, function_call: functionCall, ...rest } = message;
  const logprobs = isRecord(choice.logprobs) ? choice.logprobs : undefined;
  const filter = isRecord(choice.content_filter_results) ? choice.content_filter_results : azure ? choiceFilterResults() : undefined;
  const withFilter = (s: Step, results: unknown = filter): Step => (azure || choice.content_filter_results !== undefined ? { ...s, content_filter_results: results } : s);
  const common = { finish_reason: null, logprobs: null };

  // The first delta carries the role (and anything else the message has beyond content and calls, e.g. Azure's context).
  const steps: Step[] = [withFilter({ delta: { role, content: typeof content === 'string' ? '' : null, ...rest }, ...common }, {})];
  if (typeof content === 'string' && content.length > 0) {
    const entries = Array.isArray(logprobs?.content) ? logprobs.content : undefined;
    for (const piece of contentPieces(content, entries, opts.style)) {
      steps.push(withFilter({ delta: { content: piece.text }, finish_reason: null, logprobs: piece.logprobs ? { content: piece.logprobs } : null }));
    }
  }
  if (Array.isArray(toolCalls)) {
    toolCalls.filter(isRecord).forEach((call, k) => {
      const fn = isRecord(call.function) ? call.function : {};
      steps.push(withFilter({ delta: { tool_calls: [{ index: k, id: call.id, type: call.type ?? 'function', function: { name: fn.name, arguments: '' } }] }, ...common }));
      for (const piece of slices(String(fn.arguments ?? ''))) steps.push(withFilter({ delta: { tool_calls: [{ index: k, function: { arguments: piece } }] }, ...common }));
    });
  }
  if (isRecord(functionCall)) {
    steps.push(withFilter({ delta: { function_call: { name: functionCall.name, arguments: '' } }, ...common }));
    for (const piece of slices(String(functionCall.arguments ?? ''))) steps.push(withFilter({ delta: { function_call: { arguments: piece } }, ...common }));
  }
  steps.push(withFilter({ delta: {}, finish_reason: choice.finish_reason ?? 'stop', logprobs: null }, {}));
  return steps;
}

function completionSteps(choice: Json, opts: PlanOptions): Step[] {
  const azure = opts.style === 'azure';
  const text = typeof choice.text === 'string' ? choice.text : '';
  const logprobs = isRecord(choice.logprobs) ? choice.logprobs : undefined;
  const filter = isRecord(choice.content_filter_results) ? choice.content_filter_results : azure ? choiceFilterResults() : undefined;
  const withFilter = (s: Step): Step => (filter ? { ...s, content_filter_results: filter } : s);
  const steps: Step[] = [];
  const tokens = Array.isArray(logprobs?.tokens) ? (logprobs.tokens as unknown[]) : undefined;
  if (logprobs && tokens && tokens.every((t) => typeof t === 'string') && tokens.join('') === text) {
    // Slice every per-token array of the completions logprobs object in step with the text.
    let at = 0;
    for (const g of group(tokens as string[], opts.style)) {
      const part: Json = {};
      for (const [key, value] of Object.entries(logprobs)) part[key] = Array.isArray(value) ? value.slice(at, at + g.length) : value;
      steps.push(withFilter({ text: g.join(''), index: 0, logprobs: part, finish_reason: null }));
      at += g.length;
    }
  } else {
    for (const g of group(splitText(text), opts.style)) steps.push(withFilter({ text: g.join(''), index: 0, logprobs: logprobs ?? null, finish_reason: null }));
  }
  // The final chunk carries no text, only the finish reason (as OpenAI sends it).
  steps.push(withFilter({ text: '', index: 0, logprobs: null, finish_reason: choice.finish_reason ?? 'stop' }));
  return steps;
}

/** Azure asynchronous-filter annotation events: content_filter_results and offsets, no delta, empty identity. */
function annotations(choices: Json[], steps: Step[][]): StreamItem[] {
  return choices.map((choice, i) => {
    const length = typeof choice.text === 'string' ? choice.text.length : isRecord(choice.message) && typeof choice.message.content === 'string' ? choice.message.content.length : 0;
    return {
      kind: 'chunk',
      chunk: {
        choices: [
          {
            index: steps[i]?.[0]?.index ?? i,
            finish_reason: null,
            content_filter_results: isRecord(choice.content_filter_results) ? choice.content_filter_results : choiceFilterResults(),
            content_filter_offsets: { check_offset: 0, start_offset: 0, end_offset: length },
          },
        ],
        created: 0,
        id: '',
        model: '',
        object: '',
        usage: null,
      },
    };
  });
}

// ---- faults ----------------------------------------------------------------------------------------------

/** Faults on the per-choice steps (finish reasons, roles, indexes, calls, logprobs). */
function applyStepFaults(steps: Step[][], chat: boolean, faults: FaultSet): void {
  for (const choiceSteps of steps) {
    const last = choiceSteps[choiceSteps.length - 1];
    if (faults.has('stream-length-as-stop') && last.finish_reason === 'length') last.finish_reason = 'stop';
    if (faults.has('stream-finish-never')) last.finish_reason = null;
    if (faults.has('stream-choice-index-from-one')) for (const s of choiceSteps) s.index = Number(s.index) + 1;
    if (faults.has('stream-logprobs-missing')) for (const s of choiceSteps) s.logprobs = null;
    if (faults.has('stream-no-role') && chat && isRecord(choiceSteps[0].delta)) {
      const { role: _role, ...delta } = choiceSteps[0].delta;
      choiceSteps[0].delta = delta;
    }
    if (faults.has('stream-finish-early') && choiceSteps.length > 2) {
      // The finish reason moves to the first chunk; the rest of the choice still follows it.
      choiceSteps[0].finish_reason = last.finish_reason;
      last.finish_reason = null;
    }
    if (faults.has('stream-finish-twice')) choiceSteps.push({ ...last, ...(chat ? { delta: {} } : { text: '' }) });
    if (chat) applyCallFaults(choiceSteps, faults);
    // Choice fields moved into the delta, as some servers send them.
    for (const field of chat ? (['finish_reason', 'index'] as const) : []) {
      if (!faults.has(field === 'index' ? 'stream-index-in-delta' : 'stream-finish-reason-in-delta')) continue;
      for (const s of choiceSteps) {
        s.delta = { ...(isRecord(s.delta) ? s.delta : {}), [field]: s[field] };
        delete s[field];
      }
    }
  }
}

function applyCallFaults(choiceSteps: Step[], faults: FaultSet): void {
  const deltas = choiceSteps.map((s) => s.delta).filter(isRecord);
  const toolFragments = deltas.flatMap((d) => (Array.isArray(d.tool_calls) ? d.tool_calls.filter(isRecord) : []));
  if (faults.has('stream-tool-call-fragments-broken')) {
    // Argument pieces arrive under an index no fragment opened, so the calls cannot be put back together.
    for (const f of toolFragments) if (!('id' in f)) f.index = Number(f.index) + 1;
  }
  if (faults.has('stream-tool-args-truncated')) {
    const pieces = toolFragments.filter((f) => !('id' in f));
    const lastPiece = pieces[pieces.length - 1];
    if (lastPiece) choiceSteps.splice(choiceSteps.findIndex((s) => isRecord(s.delta) && Array.isArray(s.delta.tool_calls) && s.delta.tool_calls[0] === lastPiece), 1);
  }
  if (faults.has('stream-function-call-broken')) {
    for (const d of deltas) if (isRecord(d.function_call)) delete d.function_call.name;
  }
}

/** Faults on whole chunks: object, created, id, payloads that are not JSON. */
function applyChunkFaults(items: StreamItem[], body: Json, opts: PlanOptions): void {
  const chat = opts.operation === 'chat.completions';
  const content = items.filter((it): it is { kind: 'chunk'; chunk: Json } => it.kind === 'chunk' && it.chunk.id === body.id);
  content.forEach((it, i) => {
    if (opts.faults.has('stream-chunk-object-wrong')) it.chunk.object = chat ? 'chat.completion' : 'text_completion.chunk';
    if (opts.faults.has('stream-chunk-created-string')) it.chunk.created = new Date(Number(body.created) * 1000).toISOString();
    if (opts.faults.has('stream-id-changes') && i >= content.length / 2) it.chunk.id = `${String(body.id)}-b`;
    if (opts.faults.has('stream-model-name')) {
      const { model, ...rest } = it.chunk;
      it.chunk = { ...rest, model_name: model };
    }
  });
  if (opts.faults.has('stream-payload-not-json') && content.length > 1) {
    const victim = content[1];
    const at = items.indexOf(victim);
    items[at] = { kind: 'raw', data: JSON.stringify(victim.chunk).slice(0, 40) };
  }
}

// ---- serialisation ---------------------------------------------------------------------------------------

function* frames(items: StreamItem[], eol: string, faults: FaultSet): Generator<string> {
  const blank = eol;
  const lines = (data: string) => `${faults.has('stream-named-events') ? `event: chunk${eol}` : ''}data: ${data}${eol}`;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.kind === 'comment') {
      yield `:${item.text}${eol}${blank}`;
      continue;
    }
    const data = item.kind === 'raw' ? item.data : JSON.stringify(item.chunk);
    // Without the separator after every other event, pairs of events run together into one.
    const separated = !(faults.has('stream-no-blank-lines') && i % 2 === 0);
    yield `${lines(data)}${separated ? blank : ''}`;
  }
  if (!faults.has('stream-missing-done')) yield `${faults.has('stream-done-bare') ? '' : 'data: '}[DONE]${eol}${blank}`;
  if (faults.has('stream-done-twice')) yield `data: [DONE]${eol}${blank}`;
  if (faults.has('stream-data-after-done')) {
    const last = [...items].reverse().find((it) => it.kind === 'chunk');
    if (last && last.kind === 'chunk') yield `data: ${JSON.stringify(last.chunk)}${eol}${blank}`;
  }
}

async function* serialise(items: StreamItem[], eol: string, faults: FaultSet): AsyncGenerator<string> {
  let sent = 0;
  for (const frame of frames(items, eol, faults)) {
    if (faults.has('stream-hang') && sent === EVENTS_BEFORE_HANG) {
      // Headers and a few events, then silence: the client's idle timeout has to end it.
      await new Promise<void>((resolve) => setTimeout(resolve, HANG_MS).unref());
      return;
    }
    if (faults.has('stream-endless') && frame.startsWith('data: [DONE]')) break;
    yield frame;
    sent++;
    // Let other work run between events, so the stream really arrives in pieces.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (faults.has('stream-endless')) yield* endless(items, eol);
}

/** A stream that never ends: the same kind of content chunk, forever (the client's limits must stop it). */
async function* endless(items: StreamItem[], eol: string): AsyncGenerator<string> {
  const sample = items.find((it) => it.kind === 'chunk' && Array.isArray(it.chunk.choices) && it.chunk.choices.length > 0 && it.chunk.id !== '');
  const chunk = sample && sample.kind === 'chunk' ? sample.chunk : { choices: [] };
  const choice = Array.isArray(chunk.choices) && isRecord(chunk.choices[0]) ? chunk.choices[0] : {};
  const more = { ...chunk, choices: [{ ...choice, finish_reason: null, ...('delta' in choice ? { delta: { content: ' and more' } } : { text: ' and more' }) }] };
  const frame = `data: ${JSON.stringify(more)}${eol}${eol}`;
  for (let i = 0; ; i++) {
    yield frame;
    if (i % 64 === 63) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
