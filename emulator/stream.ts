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
 * The stream faults (emulator/faults/stream.ts) are applied on the way, each breaking one rule. The parts:
 * stream-steps.ts (per-choice steps), stream-faults.ts (faults on steps and chunks), stream-frames.ts (the SSE text,
 * framing and timing faults), stream-types.ts (shared types).
 */
import type { ProfileName } from '../src/model.ts';
import { promptFilterResults } from './content-filter.ts';
import type { FaultSet } from './faults.ts';
import { applyChunkFaults, applyStepFaults } from './stream-faults.ts';
import { serialise } from './stream-frames.ts';
import { annotations, chatSteps, completionSteps } from './stream-steps.ts';
import { isRecord, type Json, type LineEnding, type PlanOptions, type StreamItem, type StreamShape, type StreamStyle } from './stream-types.ts';
import type { EmulatorReply, HandlerContext } from './types.ts';

export type { LineEnding, PlanOptions, StreamItem, StreamShape, StreamStyle } from './stream-types.ts';
export { splitText } from './stream-steps.ts';

export const STREAM_SHAPE_HEADER = 'x-emulator-stream-shape';
export const STREAM_EOL_HEADER = 'x-emulator-stream-eol';

const EOL: Record<LineEnding, string> = { lf: '\n', crlf: '\r\n', cr: '\r' };

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
