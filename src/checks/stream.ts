/**
 * Checks on streamed responses (`stream: true` on chat and completions). Each check: one rule, a name, an args
 * schema; see ./types.ts. They read `response.sse` (the engine's SSE reader: events, framing diagnostics, how
 * the stream ended). Azure's legal stream shapes pass: a first event with `choices: []` and an empty identity
 * carrying prompt_filter_results, content-filter annotation events without a `delta` (even after the finish
 * chunk), SSE comments, many tokens per chunk, any SSE line ending.
 */
import type { RecordedResponse, RecordedStream } from '../model.ts';
import { mediaType } from './http.ts';
import { type CheckContext, type CheckDefinition, type CheckOutcome, fail, isRecord, noArgs, pass, verdict } from './types.ts';

export const DONE = '[DONE]';

type Kind = 'chat' | 'completions';
type Json = Record<string, unknown>;

/** One SSE event as the stream checks see it. */
interface Payload {
  /** Position among the stream's events. */
  event: number;
  data: string;
  done: boolean;
  json?: unknown;
  parseError?: string;
}

/** Parsed payloads of a response's stream, computed once per response (a long stream is parsed once, not per check). */
const parsed = new WeakMap<RecordedStream, Payload[]>();

function payloadsOf(sse: RecordedStream): Payload[] {
  let payloads = parsed.get(sse);
  if (!payloads) {
    payloads = sse.events.map((e, event) => {
      if (e.data === DONE) return { event, data: e.data, done: true };
      try {
        return { event, data: e.data, done: false, json: JSON.parse(e.data) as unknown };
      } catch (err) {
        return { event, data: e.data, done: false, parseError: (err as Error).message };
      }
    });
    parsed.set(sse, payloads);
  }
  return payloads;
}

/** Chat requests carry `messages`; completions requests a `prompt`. */
function kindOf(requestBody: unknown): Kind {
  return isRecord(requestBody) && 'messages' in requestBody ? 'chat' : 'completions';
}

/** Choices a request asks for: `n` (default 1), times the number of prompts of a completions prompt array. */
function expectedChoiceCount(requestBody: unknown): number {
  if (!isRecord(requestBody)) return 1;
  const n = typeof requestBody.n === 'number' ? requestBody.n : 1;
  const prompt = requestBody.prompt;
  // A prompt array holds several prompts unless it is a single prompt given as token ids.
  const prompts = Array.isArray(prompt) && prompt.length > 0 && !prompt.every((t) => typeof t === 'number') ? prompt.length : 1;
  return n * prompts;
}

function chunkChoices(chunk: Json): Json[] {
  return Array.isArray(chunk.choices) ? chunk.choices.filter(isRecord) : [];
}

/**
 * A content chunk carries a piece of the completion: a chat choice with a `delta`, or a completions choice with
 * `text` outside Azure's empty-identity events. Annotation events (no delta), usage-only chunks (`choices: []`)
 * and error payloads are not content chunks.
 */
function isContentChunk(chunk: Json, kind: Kind): boolean {
  const choices = chunkChoices(chunk);
  if (kind === 'chat') return choices.some((c) => 'delta' in c);
  return chunk.object !== '' && choices.some((c) => 'text' in c);
}

/** Azure's events outside the completion proper: the prompt-filter first event and content-filter annotations. */
function isEmptyIdentity(chunk: Json): boolean {
  return chunk.id === '' && (chunk.object === '' || chunk.object === undefined);
}

interface StreamData {
  sse: RecordedStream;
  payloads: Payload[];
  /** JSON object payloads (chunks, annotations, usage, errors), in order. */
  chunks: Array<{ event: number; chunk: Json }>;
  kind: Kind;
}

function streamData(ctx: CheckContext): StreamData | CheckOutcome {
  const sse = ctx.response.sse;
  if (!sse) return notAStream(ctx.response);
  const payloads = payloadsOf(sse);
  const chunks = payloads.flatMap((p) => (isRecord(p.json) ? [{ event: p.event, chunk: p.json }] : []));
  return { sse, payloads, chunks, kind: kindOf(ctx.requestBody) };
}

function notAStream(response: RecordedResponse): CheckOutcome {
  return fail('a text/event-stream response', response.headers['content-type'] ?? '(no Content-Type header)', `the response is not an event stream (Content-Type ${response.headers['content-type'] ?? 'missing'})`);
}

/** Runs `judge` on the stream, or fails when there is none. */
function onStream(judge: (data: StreamData, ctx: CheckContext) => CheckOutcome): CheckDefinition['run'] {
  return (ctx) => {
    const data = streamData(ctx);
    return 'ok' in data ? data : judge(data, ctx);
  };
}

function snippet(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function list(items: string[], max = 3): string {
  return items.length > max ? `${items.slice(0, max).join('; ')} (and ${items.length - max} more)` : items.join('; ');
}

// ---- the envelope ------------------------------------------------------------------------------------------

export const streamSse: CheckDefinition = {
  name: 'stream-sse',
  description: 'A `stream: true` request is answered as server-sent events: Content-Type text/event-stream, not a JSON document.',
  gate: true,
  args: noArgs,
  run({ response }) {
    if (mediaType(response.headers['content-type']) === 'text/event-stream') return pass('text/event-stream', response.headers['content-type']);
    const type = response.headers['content-type'] ?? '(no Content-Type header)';
    const looksJson = response.bodyText.trimStart().startsWith('{');
    return fail('text/event-stream', type, `a stream was requested but the response (HTTP ${response.status}) is ${looksJson ? 'a JSON document' : 'not an event stream'} (Content-Type ${type}): ${snippet(response.bodyText)}`);
  },
};

export const streamDeclined: CheckDefinition = {
  name: 'stream-declined',
  description: 'A request the service cannot stream is not answered as an event stream: it is rejected with a 4xx client error or answered with the JSON document.',
  args: noArgs,
  run({ response }) {
    const expected = 'a 4xx client error, or a JSON document';
    if (response.status >= 400 && response.status < 500) return pass(expected, `HTTP ${response.status}`, 'rejected with a client error');
    if (!response.sse && response.status >= 200 && response.status < 300) return pass(expected, `HTTP ${response.status} ${response.headers['content-type'] ?? ''}`.trim(), 'answered without streaming');
    if (response.sse) return fail(expected, `HTTP ${response.status} text/event-stream`, `the request was answered as an event stream (${response.sse.events.length} events) although its results cannot be streamed`);
    return fail(expected, `HTTP ${response.status}`, `status ${response.status} is neither a 4xx rejection nor a JSON answer`);
  },
};

function describeEnd(end: RecordedStream['end'], sse: RecordedStream): string {
  const after = `after ${sse.diagnostics.eventCount} event(s) and ${sse.diagnostics.totalBytes} bytes`;
  switch (end.kind) {
    case 'eof':
      return 'the server closed the stream';
    case 'idle-timeout':
      return `the stream hung: nothing arrived for ${end.afterMs} ms ${after}`;
    case 'total-timeout':
      return `the stream did not finish within ${end.afterMs} ms (${after})`;
    case 'max-events':
      return `the stream did not end: it sent more than ${end.limit} events`;
    case 'max-bytes':
      return `the stream did not end: it sent more than ${end.limit} bytes (${sse.diagnostics.eventCount} events)`;
    case 'error':
      return `the stream broke off ${after}: ${end.message}`;
  }
}

export const streamCompletes: CheckDefinition = {
  name: 'stream-completes',
  description: 'The stream ends: the server closes it after [DONE], without hanging or running on past the reader limits (idle time, total time, events, bytes).',
  gate: true,
  args: noArgs,
  run: onStream(({ sse, payloads }, { response }) => {
    const sawDone = payloads.some((p) => p.done);
    // The body size limit can cut a stream before the reader sees its own byte limit: that is no end either.
    const end: RecordedStream['end'] = sse.end.kind === 'eof' && response.truncated ? { kind: 'max-bytes', limit: sse.diagnostics.totalBytes } : sse.end;
    if (end.kind === 'eof') return pass('the stream ends', describeEnd(end, sse));
    // Clients stop reading at [DONE]; a connection merely left open afterwards strands nobody.
    if (end.kind === 'idle-timeout' && sawDone) return pass('the stream ends', 'the connection stayed open after [DONE]', 'the stream reached [DONE]; the server kept the connection open afterwards');
    return fail('the stream ends with [DONE] and the server closes it', end, `${describeEnd(end, sse)}${sawDone ? '' : ' (no [DONE] was received)'}`);
  }),
};

// ---- framing -----------------------------------------------------------------------------------------------

/** Several lines in one event that each parse as a whole JSON value: events written without their blank line. */
function runTogether(data: string): boolean {
  const lines = data.split('\n');
  if (lines.length < 2) return false;
  return lines.every((line) => {
    if (line.trim() === DONE) return true;
    try {
      return typeof JSON.parse(line) === 'object';
    } catch {
      return false;
    }
  });
}

export const streamFraming: CheckDefinition = {
  name: 'stream-framing',
  description: 'Events are data-only (`data:` fields, no named events or unknown fields), each ended by a blank line, in UTF-8. Comments, a BOM and any of LF, CRLF, CR line endings are legal.',
  args: noArgs,
  run: onStream(({ sse }) => {
    const d = sse.diagnostics;
    const problems: string[] = [];
    const named = [...new Set(sse.events.filter((e) => e.event !== 'message').map((e) => e.event))];
    if (named.length) problems.push(`named events (event: ${named.join(', ')}) in a data-only stream`);
    if (d.unknownFields.length) problems.push(`unknown fields: ${d.unknownFields.join(', ')}`);
    if (d.fieldsWithoutColon.length) problems.push(`lines without a colon: ${d.fieldsWithoutColon.map((f) => JSON.stringify(snippet(f, 40))).join(', ')}`);
    const merged = sse.events.filter((e) => runTogether(e.data)).map((e) => e.index);
    if (merged.length) problems.push(`events without a blank line between them were read as one (event ${merged.slice(0, 5).join(', ')})`);
    if (d.trailingUndispatched !== null) problems.push(`the stream ended inside an event that no blank line closed: ${JSON.stringify(snippet(d.trailingUndispatched))}`);
    if (d.invalidUtf8) problems.push('the stream is not valid UTF-8');
    const actual = { events: d.eventCount, lineEndings: d.lineEndings, comments: d.commentCount, bom: d.bom };
    return problems.length ? fail('data-only events separated by blank lines', problems, `the stream is not framed as data-only server-sent events: ${list(problems)}`) : pass('data-only events separated by blank lines', actual);
  }),
};

export const streamDone: CheckDefinition = {
  name: 'stream-done',
  description: 'The stream is terminated by `data: [DONE]`: exactly once, as the last event, with nothing after it.',
  args: noArgs,
  run: onStream(({ payloads }) => {
    const done = payloads.filter((p) => p.done).map((p) => p.event);
    const expected = 'one data: [DONE], last';
    if (done.length === 0) {
      const near = payloads.find((p) => p.data.trim() === DONE || p.data.startsWith(DONE));
      return fail(expected, near ? JSON.stringify(near.data) : '(none)', near ? `the sentinel is not exactly "[DONE]": ${JSON.stringify(near.data)}` : `the stream has no data: [DONE] (${payloads.length} events)`);
    }
    if (done.length > 1) return fail(expected, `[DONE] at events ${done.join(', ')}`, `data: [DONE] was sent ${done.length} times`);
    const after = payloads.length - 1 - done[0];
    return verdict(after === 0, expected, after === 0 ? `[DONE] at event ${done[0]} of ${payloads.length}` : `${after} event(s) after [DONE]`, `${after} event(s) follow data: [DONE]: ${snippet(payloads[done[0] + 1]?.data ?? '')}`);
  }),
};

export const streamPayloadJson: CheckDefinition = {
  name: 'stream-payload-json',
  description: 'Every data payload other than the [DONE] sentinel is a JSON document.',
  args: noArgs,
  run: onStream(({ payloads }) => {
    const bad = payloads.filter((p) => !p.done && p.parseError !== undefined);
    if (bad.length === 0) return pass('JSON payloads', `${payloads.filter((p) => !p.done).length} JSON payloads`);
    return fail('JSON payloads', bad.slice(0, 5).map((p) => ({ event: p.event, data: snippet(p.data) })), `${bad.length} payload(s) are not JSON, e.g. event ${bad[0].event}: ${JSON.stringify(snippet(bad[0].data))} (${bad[0].parseError})`);
  }),
};

// ---- chunks ------------------------------------------------------------------------------------------------

const AZURE_ANNOTATION = 'azure-openai/2024-06-01/azureChatCompletionStreamAnnotation';

/** Components a payload may match, by stream kind and schema surface, tried in order. */
function chunkComponents(kind: Kind, surface: string): string[] {
  if (kind === 'chat') return ['chatCompletionStreamEvent'];
  // Model Inference: streamed and non-streamed completions share one shape (seed 000); Azure's filter events are accepted too.
  if (surface.startsWith('model-inference/')) return [`${surface}/CreateCompletionResponse`, AZURE_ANNOTATION];
  return ['completionStreamEvent'];
}

export const streamChunkSchema: CheckDefinition = {
  name: 'stream-chunk-schema',
  description: 'Every JSON payload is a valid chunk (chat: createChatCompletionStreamResponse; completions: the text_completion shape) or an Azure content-filter annotation event; an `{"error": …}` payload must be a valid error body.',
  args: {
    type: 'object',
    additionalProperties: false,
    properties: { component: { type: 'string', minLength: 1, description: 'override the component every chunk is validated against' } },
  },
  run: onStream(({ chunks, payloads, kind }, { schemas, surface, args }) => {
    const components = typeof args.component === 'string' ? [args.component] : chunkComponents(kind, surface);
    // Mid-stream errors (schemas D23) are OpenAI-style error objects in every profile.
    const errorComponent = 'azure-openai/2024-06-01/errorResponse';
    const problems: string[] = [];
    const nonObjects = payloads.filter((p) => !p.done && p.parseError === undefined && !isRecord(p.json));
    for (const p of nonObjects) problems.push(`event ${p.event}: a JSON ${Array.isArray(p.json) ? 'array' : typeof p.json}, not an object`);
    for (const { event, chunk } of chunks) {
      const isError = 'error' in chunk && !('choices' in chunk);
      const tried = isError ? [errorComponent] : components;
      let firstIssues: string[] | undefined;
      for (const component of tried) {
        const outcome = schemas.validate(component, chunk, surface);
        if (outcome.valid) {
          firstIssues = undefined;
          break;
        }
        firstIssues ??= outcome.issues.slice(0, 2).map((i) => `${i.pointer || '/'} ${i.message}`);
      }
      if (firstIssues) problems.push(`event ${event}: ${firstIssues.join(', ')}`);
    }
    const expected = `every payload valid against ${components.join(' or ')}`;
    return problems.length ? fail(expected, problems.slice(0, 10), `${problems.length} payload(s) are not valid stream chunks: ${list(problems, 2)}`) : pass(expected, `${chunks.length} valid payloads`);
  }),
};

export const streamChunkObject: CheckDefinition = {
  name: 'stream-chunk-object',
  description: 'Content chunks name their object type: `chat.completion.chunk` (chat) or `text_completion` (completions, the same shape as the non-stream response).',
  args: noArgs,
  run: onStream(({ chunks, kind }) => {
    const expected = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
    const content = chunks.filter(({ chunk }) => isContentChunk(chunk, kind));
    if (content.length === 0) return fail(`content chunks with object ${expected}`, '(no content chunks)', 'the stream has no content chunks');
    const wrong = content.filter(({ chunk }) => chunk.object !== expected);
    if (wrong.length === 0) return pass(expected, `${content.length} content chunks`);
    const seen = [...new Set(wrong.map(({ chunk }) => JSON.stringify(chunk.object ?? null)))];
    return fail(expected, seen, `${wrong.length} of ${content.length} content chunks have object ${seen.join(', ')}, expected "${expected}"`);
  }),
};

export const streamChunkIdentity: CheckDefinition = {
  name: 'stream-chunk-identity',
  description: "Every chunk of the completion carries the same `id`, `created` and `model` (Azure's empty-identity filter events aside).",
  args: noArgs,
  run: onStream(({ chunks }) => {
    const own = chunks.filter(({ chunk }) => 'choices' in chunk && !isEmptyIdentity(chunk));
    if (own.length === 0) return fail('chunks sharing one id, created and model', '(no chunks)', 'the stream has no chunks');
    const first = own[0].chunk;
    const changes: string[] = [];
    for (const field of ['id', 'created', 'model'] as const) {
      const other = own.find(({ chunk }) => chunk[field] !== first[field]);
      if (other) changes.push(`${field} ${JSON.stringify(first[field])} becomes ${JSON.stringify(other.chunk[field])} at event ${other.event}`);
    }
    const expected = { id: first.id, created: first.created, model: first.model };
    return changes.length ? fail(expected, changes, `chunks of one completion disagree: ${changes.join('; ')}`) : pass(expected, `${own.length} chunks agree`);
  }),
};

/** Each choice's deltas (chat) or text pieces (completions) with their finish reasons, in stream order. */
interface ChoiceTrack {
  index: unknown;
  pieces: Array<{ event: number; choice: Json }>;
}

function tracks(chunks: StreamData['chunks'], kind: Kind): Map<string, ChoiceTrack> {
  const byIndex = new Map<string, ChoiceTrack>();
  for (const { event, chunk } of chunks) {
    if (!isContentChunk(chunk, kind)) continue;
    for (const choice of chunkChoices(chunk)) {
      if (kind === 'chat' ? !('delta' in choice) : !('text' in choice)) continue;
      const key = JSON.stringify(choice.index ?? null);
      const track = byIndex.get(key) ?? { index: choice.index, pieces: [] };
      track.pieces.push({ event, choice });
      byIndex.set(key, track);
    }
  }
  return byIndex;
}

export const streamFirstDeltaRole: CheckDefinition = {
  name: 'stream-first-delta-role',
  description: "Each choice's first delta carries `role: assistant` (chat).",
  args: noArgs,
  run: onStream(({ chunks }) => {
    const found = tracks(chunks, 'chat');
    if (found.size === 0) return fail('role assistant in the first delta', '(no deltas)', 'the stream has no deltas');
    const missing: string[] = [];
    for (const track of found.values()) {
      const first = track.pieces[0];
      const role = isRecord(first.choice.delta) ? first.choice.delta.role : undefined;
      if (role !== 'assistant') missing.push(`choice ${JSON.stringify(track.index)}: ${role === undefined ? 'no role' : `role ${JSON.stringify(role)}`} at event ${first.event}`);
    }
    return missing.length ? fail('role assistant in the first delta of each choice', missing, `the first delta does not carry role "assistant": ${list(missing)}`) : pass('role assistant in the first delta of each choice', `${found.size} choice(s)`);
  }),
};

/** Non-null finish reasons per choice index, from content chunks and from annotation events that add a new one. */
function finishes(chunks: StreamData['chunks'], kind: Kind): Map<string, Array<{ event: number; reason: unknown }>> {
  const out = new Map<string, Array<{ event: number; reason: unknown }>>();
  for (const { event, chunk } of chunks) {
    const content = isContentChunk(chunk, kind);
    for (const choice of chunkChoices(chunk)) {
      if (choice.finish_reason === null || choice.finish_reason === undefined) continue;
      const key = JSON.stringify(choice.index ?? null);
      const seen = out.get(key) ?? [];
      // An annotation event repeating the reason already given adds nothing.
      if (!content && seen.some((s) => s.reason === choice.finish_reason)) continue;
      seen.push({ event, reason: choice.finish_reason });
      out.set(key, seen);
    }
  }
  return out;
}

export const streamFinishOnce: CheckDefinition = {
  name: 'stream-finish-once',
  description: 'Each choice 0..n-1 reports a non-null finish_reason exactly once, in its last chunk: null (or absent) before, and no delta of that choice after it.',
  args: noArgs,
  run: onStream(({ chunks, kind }, { requestBody }) => {
    const n = expectedChoiceCount(requestBody);
    const byChoice = finishes(chunks, kind);
    const content = tracks(chunks, kind);
    const problems: string[] = [];
    for (let i = 0; i < n; i++) {
      const key = JSON.stringify(i);
      const seen = byChoice.get(key) ?? [];
      if (seen.length === 0) {
        problems.push(`choice ${i} never reports a finish_reason`);
        continue;
      }
      if (seen.length > 1) problems.push(`choice ${i} reports finish_reason ${seen.length} times (events ${seen.map((s) => `${s.event}: ${JSON.stringify(s.reason)}`).join(', ')})`);
      const later = (content.get(key)?.pieces ?? []).filter((p) => p.event > seen[0].event);
      if (later.length) problems.push(`choice ${i} reports finish_reason ${JSON.stringify(seen[0].reason)} at event ${seen[0].event}, then ${later.length} more chunk(s) of it follow`);
    }
    const expected = `one final finish_reason for each of choices 0..${n - 1}`;
    const actual = Object.fromEntries([...byChoice].map(([k, v]) => [k, v.map((s) => s.reason)]));
    return problems.length ? fail(expected, actual, list(problems)) : pass(expected, actual);
  }),
};

export const streamChoiceIndexes: CheckDefinition = {
  name: 'stream-choice-indexes',
  description: 'Chunks name choices by index 0..n-1 only, and every choice 0..n-1 appears (n > 1 streams may interleave them).',
  args: noArgs,
  run: onStream(({ chunks, kind }, { requestBody }) => {
    const n = expectedChoiceCount(requestBody);
    const used = new Set<unknown>();
    const invalid = new Set<string>();
    for (const { chunk } of chunks) {
      for (const choice of chunkChoices(chunk)) {
        used.add(choice.index);
        if (!(Number.isInteger(choice.index) && (choice.index as number) >= 0 && (choice.index as number) < n)) invalid.add(JSON.stringify(choice.index ?? null));
      }
    }
    const contentIndexes = new Set([...tracks(chunks, kind).values()].map((t) => t.index));
    const absent = Array.from({ length: n }, (_, i) => i).filter((i) => !contentIndexes.has(i));
    const expected = `indexes 0..${n - 1}, each present`;
    const actual = [...used].sort();
    if (invalid.size) return fail(expected, actual, `chunks use choice index(es) ${[...invalid].join(', ')} outside 0..${n - 1} (n = ${n})`);
    if (absent.length) return fail(expected, actual, `choice(s) ${absent.join(', ')} never appear in the stream (n = ${n})`);
    return pass(expected, actual);
  }),
};

export const streamFinishReason: CheckDefinition = {
  name: 'stream-finish-reason',
  description: "Each choice's final finish_reason is the expected one (e.g. `length` when max_tokens cut the stream).",
  args: {
    type: 'object',
    additionalProperties: false,
    required: ['equals'],
    properties: { equals: { oneOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }] } },
  },
  run: onStream(({ chunks, kind }, { requestBody, args }) => {
    const allowed = ([] as string[]).concat(args.equals as string | string[]);
    const n = expectedChoiceCount(requestBody);
    const byChoice = finishes(chunks, kind);
    const actual: Record<string, unknown> = {};
    const wrong: string[] = [];
    for (let i = 0; i < n; i++) {
      const seen = byChoice.get(JSON.stringify(i)) ?? [];
      const reason = seen.length ? seen[seen.length - 1].reason : null;
      actual[i] = reason;
      if (typeof reason !== 'string' || !allowed.includes(reason)) wrong.push(`choice ${i}: ${JSON.stringify(reason)}`);
    }
    const expected = allowed.length === 1 ? allowed[0] : allowed;
    return wrong.length ? fail(expected, actual, `finish_reason is not ${allowed.join(' or ')}: ${list(wrong)}`) : pass(expected, actual);
  }),
};

// ---- tool calls and function calls -------------------------------------------------------------------------

interface Reassembled {
  choice: string;
  index: unknown;
  id?: unknown;
  type?: unknown;
  name?: unknown;
  arguments: string;
  fragments: number;
  /** Fragment problems seen while reassembling. */
  problems: string[];
}

/** Puts each choice's tool-call fragments back together by their `index`, as clients do. */
function reassembleToolCalls(chunks: StreamData['chunks']): Reassembled[] {
  const calls = new Map<string, Reassembled>();
  for (const track of tracks(chunks, 'chat').values()) {
    for (const { event, choice } of track.pieces) {
      const delta = isRecord(choice.delta) ? choice.delta : {};
      if (!Array.isArray(delta.tool_calls)) continue;
      for (const fragment of delta.tool_calls) {
        if (!isRecord(fragment)) continue;
        const key = `${JSON.stringify(track.index)}/${JSON.stringify(fragment.index ?? null)}`;
        const call = calls.get(key) ?? { choice: JSON.stringify(track.index), index: fragment.index, arguments: '', fragments: 0, problems: [] };
        const fn = isRecord(fragment.function) ? fragment.function : {};
        // Clients open a call on its first fragment, so that one names it (D22: chatCompletionMessageToolCallChunk).
        if (call.fragments === 0 && (typeof fragment.id !== 'string' || typeof fn.name !== 'string')) call.problems.push(`the first fragment (event ${event}) carries no ${typeof fragment.id !== 'string' ? 'id' : 'function name'}`);
        for (const [field, value] of [['id', fragment.id], ['type', fragment.type], ['name', fn.name]] as const) {
          if (value === undefined || value === null || value === '') continue;
          if (call[field] !== undefined && call[field] !== value) call.problems.push(`${field} changes from ${JSON.stringify(call[field])} to ${JSON.stringify(value)} at event ${event}`);
          call[field] = value;
        }
        if (typeof fn.arguments === 'string') call.arguments += fn.arguments;
        call.fragments++;
        calls.set(key, call);
      }
    }
  }
  return [...calls.values()];
}

/** Each choice's function_call fragments put back together (the deprecated `functions` API). */
function reassembleFunctionCalls(chunks: StreamData['chunks']): Reassembled[] {
  const out: Reassembled[] = [];
  for (const track of tracks(chunks, 'chat').values()) {
    let call: Reassembled | undefined;
    for (const { event, choice } of track.pieces) {
      const fc = isRecord(choice.delta) ? choice.delta.function_call : undefined;
      if (!isRecord(fc)) continue;
      call ??= { choice: JSON.stringify(track.index), index: track.index, arguments: '', fragments: 0, problems: [] };
      if (typeof fc.name === 'string' && fc.name !== '') {
        if (call.name !== undefined && call.name !== fc.name) call.problems.push(`name changes from ${JSON.stringify(call.name)} to ${JSON.stringify(fc.name)} at event ${event}`);
        call.name = fc.name;
      }
      if (typeof fc.arguments === 'string') call.arguments += fc.arguments;
      call.fragments++;
    }
    if (call) out.push(call);
  }
  return out;
}

const functionArg = {
  type: 'object',
  additionalProperties: false,
  required: ['function'],
  properties: { function: { type: 'string', minLength: 1, description: 'the function the request forced' } },
} as const;

export const streamToolCalls: CheckDefinition = {
  name: 'stream-tool-calls',
  description: 'Tool-call fragments reassemble by index into complete calls (id, type function, name) of the forced function; the first fragment of each call carries its id and function name, later ones the index and pieces of the arguments.',
  args: functionArg,
  run: onStream(({ chunks }, { args }) => {
    const name = String(args.function);
    const calls = reassembleToolCalls(chunks);
    const expected = `complete tool calls (id, type function, name ${name})`;
    if (calls.length === 0) return fail(expected, '(no tool-call fragments)', `the stream carries no tool_calls deltas although the request forced ${name}`);
    const problems: string[] = [];
    for (const c of calls) {
      const at = `choice ${c.choice} tool call ${JSON.stringify(c.index ?? null)}`;
      if (!Number.isInteger(c.index)) problems.push(`${at}: fragments carry no integer index`);
      if (typeof c.id !== 'string') problems.push(`${at}: no id in any fragment`);
      if (c.type !== 'function') problems.push(`${at}: type is ${JSON.stringify(c.type ?? null)}, expected "function"`);
      if (c.name !== name) problems.push(`${at}: function name ${JSON.stringify(c.name ?? null)}, expected ${JSON.stringify(name)}`);
      problems.push(...c.problems.map((p) => `${at}: ${p}`));
    }
    const actual = calls.map(({ choice, index, id, type, name: n, arguments: a, fragments }) => ({ choice, index, id, type, name: n, arguments: snippet(a), fragments }));
    return problems.length ? fail(expected, actual, `the tool-call fragments do not reassemble: ${list(problems)}`) : pass(expected, actual);
  }),
};

export const streamFunctionCall: CheckDefinition = {
  name: 'stream-function-call',
  description: 'function_call fragments (the deprecated functions API; the first with the name, later ones with pieces of the arguments) reassemble into a call of the forced function in every choice.',
  args: functionArg,
  run: onStream(({ chunks }, { args, requestBody }) => {
    const name = String(args.function);
    const n = expectedChoiceCount(requestBody);
    const calls = reassembleFunctionCalls(chunks);
    const expected = `a function_call of ${name} in each of ${n} choice(s)`;
    const problems: string[] = [];
    if (calls.length < n) problems.push(`${n - calls.length} choice(s) carry no function_call deltas`);
    for (const c of calls) {
      if (c.name !== name) problems.push(`choice ${c.choice}: function name ${JSON.stringify(c.name ?? null)}, expected ${JSON.stringify(name)}`);
      problems.push(...c.problems.map((p) => `choice ${c.choice}: ${p}`));
    }
    const actual = calls.map(({ choice, name: n2, arguments: a, fragments }) => ({ choice, name: n2, arguments: snippet(a), fragments }));
    return problems.length ? fail(expected, actual, `the function_call fragments do not reassemble: ${list(problems)}`) : pass(expected, actual);
  }),
};

export const streamCallArgumentsJson: CheckDefinition = {
  name: 'stream-call-arguments-json',
  description: 'The reassembled arguments of every streamed tool call or function_call parse as a JSON object.',
  args: noArgs,
  run: onStream(({ chunks }) => {
    const calls = [...reassembleToolCalls(chunks), ...reassembleFunctionCalls(chunks)];
    if (calls.length === 0) return fail('JSON arguments', '(no calls)', 'the stream carries no tool or function calls');
    const bad: string[] = [];
    for (const c of calls) {
      try {
        if (!isRecord(JSON.parse(c.arguments))) bad.push(`choice ${c.choice} call ${JSON.stringify(c.index ?? null)}: not a JSON object: ${JSON.stringify(snippet(c.arguments))}`);
      } catch (err) {
        bad.push(`choice ${c.choice} call ${JSON.stringify(c.index ?? null)}: ${(err as Error).message}: ${JSON.stringify(snippet(c.arguments))}`);
      }
    }
    return bad.length ? fail('arguments that parse as a JSON object', bad, `reassembled arguments are not JSON: ${list(bad)}`) : pass('arguments that parse as a JSON object', calls.map((c) => snippet(c.arguments)));
  }),
};

// ---- logprobs ----------------------------------------------------------------------------------------------

export const streamLogprobs: CheckDefinition = {
  name: 'stream-logprobs',
  description: 'With log probabilities requested, every chunk that carries content carries them: chat `logprobs.content` entries, completions `logprobs.tokens`.',
  args: noArgs,
  run: onStream(({ chunks, kind }) => {
    const field = kind === 'chat' ? 'logprobs.content' : 'logprobs.tokens';
    const bearing: Array<{ event: number; choice: Json }> = [];
    for (const track of tracks(chunks, kind).values()) {
      for (const piece of track.pieces) {
        const text = kind === 'chat' ? (isRecord(piece.choice.delta) ? piece.choice.delta.content : undefined) : piece.choice.text;
        if (typeof text === 'string' && text !== '') bearing.push(piece);
      }
    }
    if (bearing.length === 0) return fail(`${field} on content chunks`, '(no content)', 'the stream carries no content to judge');
    const missing = bearing.filter(({ choice }) => {
      const lp = choice.logprobs;
      const list2 = isRecord(lp) ? (kind === 'chat' ? lp.content : lp.tokens) : undefined;
      return !Array.isArray(list2) || list2.length === 0;
    });
    if (missing.length === 0) return pass(`${field} on content chunks`, `${bearing.length} chunks with log probabilities`);
    return fail(`${field} on content chunks`, missing.slice(0, 5).map(({ event, choice }) => ({ event, logprobs: choice.logprobs ?? null })), `${missing.length} of ${bearing.length} content chunks carry no ${field} although log probabilities were requested (e.g. event ${missing[0].event})`);
  }),
};

// ---- usage -------------------------------------------------------------------------------------------------

function includeUsageRequested(requestBody: unknown): boolean {
  return isRecord(requestBody) && isRecord(requestBody.stream_options) && requestBody.stream_options.include_usage === true;
}

function usageChunks(chunks: StreamData['chunks']): Array<{ event: number; chunk: Json; usage: Json }> {
  return chunks.flatMap(({ event, chunk }) => (isRecord(chunk.usage) ? [{ event, chunk, usage: chunk.usage }] : []));
}

export const streamUsageGated: CheckDefinition = {
  name: 'stream-usage-gated',
  description: 'A stream carries usage counts only when the request asked for them with stream_options.include_usage (which 2024-06-01 and Model Inference do not define); otherwise usage is absent or null.',
  args: noArgs,
  run: onStream(({ chunks }, { requestBody }) => {
    if (includeUsageRequested(requestBody)) return pass('usage as requested', 'stream_options.include_usage was requested', 'usage was requested; nothing to judge');
    const found = usageChunks(chunks);
    return verdict(found.length === 0, 'no usage counts (absent or null)', found.length ? found.map((f) => ({ event: f.event, usage: f.usage })) : 'none', `usage counts arrive in ${found.length} chunk(s) (event ${found.map((f) => f.event).join(', ')}) although the request did not ask for them with stream_options.include_usage`);
  }),
};

export const streamUsageChunk: CheckDefinition = {
  name: 'stream-usage-chunk',
  description: 'With stream_options.include_usage, one chunk with `choices: []` and the usage counts comes after every choice has finished, just before [DONE].',
  args: noArgs,
  run: onStream(({ chunks, payloads, kind }) => {
    const expected = 'one usage chunk with choices [] as the last chunk before [DONE]';
    const found = usageChunks(chunks);
    if (found.length === 0) return fail(expected, '(no usage)', 'stream_options.include_usage was requested but no chunk carries usage');
    const usageOnly = found.filter((f) => chunkChoices(f.chunk).length === 0 && Array.isArray(f.chunk.choices));
    if (usageOnly.length !== 1) return fail(expected, found.map((f) => ({ event: f.event, choices: f.chunk.choices })), `expected one usage chunk with choices [], found ${usageOnly.length} (usage in ${found.length} chunk(s))`);
    const at = usageOnly[0].event;
    const lastFinish = Math.max(-1, ...[...finishes(chunks, kind).values()].flat().map((f) => f.event));
    const laterContent = chunks.filter((c) => c.event > at && isContentChunk(c.chunk, kind));
    const problems: string[] = [];
    if (lastFinish > at) problems.push(`a choice finishes at event ${lastFinish}, after the usage chunk (event ${at})`);
    if (laterContent.length) problems.push(`${laterContent.length} content chunk(s) follow the usage chunk`);
    const doneAt = payloads.find((p) => p.done)?.event;
    return problems.length ? fail(expected, { usageAt: at, doneAt }, list(problems)) : pass(expected, { usageAt: at, doneAt, usage: usageOnly[0].usage });
  }),
};

export const streamUsageSums: CheckDefinition = {
  name: 'stream-usage-sums',
  description: 'Every usage object in the stream adds up: total_tokens = prompt_tokens + completion_tokens (a stream without usage has nothing to add up).',
  args: noArgs,
  run: onStream(({ chunks }) => {
    const found = usageChunks(chunks);
    // Whether usage should be there at all is stream-usage-chunk's rule; this one judges the counts that arrive.
    if (found.length === 0) return pass('usage whose counts add up', '(no usage)', 'no chunk carries usage; nothing to add up');
    const wrong: string[] = [];
    for (const { event, usage } of found) {
      const { prompt_tokens: p, completion_tokens: c = 0, total_tokens: t } = usage;
      if (typeof p !== 'number' || typeof c !== 'number' || typeof t !== 'number') wrong.push(`event ${event}: counts are not all numbers`);
      else if (p + c !== t) wrong.push(`event ${event}: total_tokens ${t} ≠ prompt_tokens ${p} + completion_tokens ${c}`);
    }
    return wrong.length ? fail('total_tokens = prompt_tokens + completion_tokens', found.map((f) => f.usage), list(wrong)) : pass('total_tokens = prompt_tokens + completion_tokens', found.map((f) => f.usage));
  }),
};

export const CHECKS: CheckDefinition[] = [
  streamSse,
  streamDeclined,
  streamCompletes,
  streamFraming,
  streamDone,
  streamPayloadJson,
  streamChunkSchema,
  streamChunkObject,
  streamChunkIdentity,
  streamFirstDeltaRole,
  streamFinishOnce,
  streamChoiceIndexes,
  streamFinishReason,
  streamToolCalls,
  streamFunctionCall,
  streamCallArgumentsJson,
  streamLogprobs,
  streamUsageGated,
  streamUsageChunk,
  streamUsageSums,
];
