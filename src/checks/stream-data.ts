/**
 * What the stream checks share: a response's SSE events as JSON payloads (parsed once per response), the stream's
 * kind (chat or completions), its chunks and, per choice, its pieces and finish reasons.
 */
import type { RecordedResponse, RecordedStream } from '../model.ts';
import { type CheckContext, type CheckDefinition, type CheckOutcome, fail, isRecord } from './types.ts';

export const DONE = '[DONE]';

export type Kind = 'chat' | 'completions';
export type Json = Record<string, unknown>;

/** One SSE event as the stream checks see it. */
export interface Payload {
  /** Position among the stream's events. */
  event: number;
  data: string;
  done: boolean;
  json?: unknown;
  parseError?: string;
}

/** Parsed payloads of a response's stream, computed once per response (a long stream is parsed once, not per check). */
const parsed = new WeakMap<RecordedStream, Payload[]>();

export function payloadsOf(sse: RecordedStream): Payload[] {
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
export function kindOf(requestBody: unknown): Kind {
  return isRecord(requestBody) && 'messages' in requestBody ? 'chat' : 'completions';
}

export function chunkChoices(chunk: Json): Json[] {
  return Array.isArray(chunk.choices) ? chunk.choices.filter(isRecord) : [];
}

/**
 * A content chunk carries a piece of the completion: a chat choice with a `delta`, or a completions choice with
 * `text` outside Azure's empty-identity events. Annotation events (no delta), usage-only chunks (`choices: []`)
 * and error payloads are not content chunks.
 */
export function isContentChunk(chunk: Json, kind: Kind): boolean {
  const choices = chunkChoices(chunk);
  if (kind === 'chat') return choices.some((c) => 'delta' in c);
  return chunk.object !== '' && choices.some((c) => 'text' in c);
}

/** Azure's events outside the completion proper: the prompt-filter first event and content-filter annotations. */
export function isEmptyIdentity(chunk: Json): boolean {
  return chunk.id === '' && (chunk.object === '' || chunk.object === undefined);
}

export interface StreamData {
  sse: RecordedStream;
  payloads: Payload[];
  /** JSON object payloads (chunks, annotations, usage, errors), in order. */
  chunks: Array<{ event: number; chunk: Json }>;
  kind: Kind;
}

export function streamData(ctx: CheckContext): StreamData | CheckOutcome {
  const sse = ctx.response.sse;
  if (!sse) return notAStream(ctx.response);
  const payloads = payloadsOf(sse);
  const chunks = payloads.flatMap((p) => (isRecord(p.json) ? [{ event: p.event, chunk: p.json }] : []));
  return { sse, payloads, chunks, kind: kindOf(ctx.requestBody) };
}

export function notAStream(response: RecordedResponse): CheckOutcome {
  return { ...fail('an event stream', response.headers['content-type'] ?? '(no Content-Type header)', `the response is not an event stream (Content-Type ${response.headers['content-type'] ?? 'missing'})`), findings: [NOT_A_STREAM] };
}

/** Findings several stream checks may see (CheckOutcome.findings): each is reported once per case. */
export const NOT_A_STREAM = 'stream: no event stream';
export const NO_DONE = 'stream: no data: [DONE]';
export const DONE_MALFORMED = 'stream: a malformed [DONE]';
export const CHOICE_WITHOUT_INDEX = 'stream: a choice without an index';

/** A payload that was meant as the sentinel but is not exactly `[DONE]` (`[DONE] `, `"[DONE]"`, `[DONE]x`). */
export function isNearDone(data: string): boolean {
  return data !== DONE && (data.trim() === DONE || data.startsWith(DONE) || data.replace(/["\s]/g, '') === DONE);
}

/** A `[DONE]` line sent without its `data:` field name: the parser sees a field without a colon, and no event. */
export function bareDoneLines(sse: RecordedStream): string[] {
  return sse.diagnostics.fieldsWithoutColon.filter((f) => f.trim() === DONE);
}

/** Runs `judge` on the stream, or fails when there is none. */
export function onStream(judge: (data: StreamData, ctx: CheckContext) => CheckOutcome): CheckDefinition['run'] {
  return (ctx) => {
    const data = streamData(ctx);
    return 'ok' in data ? data : judge(data, ctx);
  };
}

export function snippet(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function list(items: string[], max = 3): string {
  return items.length > max ? `${items.slice(0, max).join('; ')} (and ${items.length - max} more)` : items.join('; ');
}


/** Each choice's deltas (chat) or text pieces (completions) with their finish reasons, in stream order. */
export interface ChoiceTrack {
  index: unknown;
  pieces: Array<{ event: number; choice: Json }>;
}

/**
 * The key of a choice's index. A choice without one is attributed to choice 0 when the request asked for a single
 * choice (`only` = 1), so that its other defects are still judged; its missing index is a finding of its own.
 */
function indexKey(index: unknown, only?: number): string {
  return index === undefined || index === null ? (only === 1 ? '0' : 'null') : JSON.stringify(index);
}

export function tracks(chunks: StreamData['chunks'], kind: Kind, only?: number): Map<string, ChoiceTrack> {
  const byIndex = new Map<string, ChoiceTrack>();
  for (const { event, chunk } of chunks) {
    if (!isContentChunk(chunk, kind)) continue;
    for (const choice of chunkChoices(chunk)) {
      if (kind === 'chat' ? !('delta' in choice) : !('text' in choice)) continue;
      const key = indexKey(choice.index, only);
      const track = byIndex.get(key) ?? { index: key === '0' ? 0 : choice.index, pieces: [] };
      track.pieces.push({ event, choice });
      byIndex.set(key, track);
    }
  }
  return byIndex;
}

/** Non-null finish reasons per choice index, from content chunks and from annotation events that add a new one. */
export function finishes(chunks: StreamData['chunks'], kind: Kind, only?: number): Map<string, Array<{ event: number; reason: unknown }>> {
  const out = new Map<string, Array<{ event: number; reason: unknown }>>();
  for (const { event, chunk } of chunks) {
    const content = isContentChunk(chunk, kind);
    for (const choice of chunkChoices(chunk)) {
      if (choice.finish_reason === null || choice.finish_reason === undefined) continue;
      const key = indexKey(choice.index, only);
      const seen = out.get(key) ?? [];
      // An annotation event repeating the reason already given adds nothing.
      if (!content && seen.some((s) => s.reason === choice.finish_reason)) continue;
      seen.push({ event, reason: choice.finish_reason });
      out.set(key, seen);
    }
  }
  return out;
}

/** One thing wrong in a stream; `findings` when other checks may report the same defects (CheckOutcome.findings). */
export interface Problem {
  text: string;
  findings?: string[];
}

/** A failure listing its problems; a problem no other check reports counts under the check's own name. */
export function failWith(check: string, expected: unknown, actual: unknown, problems: Problem[], message = list(problems.map((p) => p.text))): CheckOutcome {
  return { ...fail(expected, actual, message), findings: [...new Set(problems.flatMap((p) => p.findings ?? [check]))] };
}

/** Choices named by no index at all: clients cannot route their pieces, and no per-choice rule can be judged. */
export function indexlessChoice(chunks: StreamData['chunks']): { event: number } | undefined {
  for (const { event, chunk } of chunks) if (chunkChoices(chunk).some((c) => c.index === undefined || c.index === null)) return { event };
  return undefined;
}
