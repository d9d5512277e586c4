/**
 * Checks on streamed responses (`stream: true` on chat and completions): the envelope, the framing and the chunk schema.
 * Each check: one rule, a name, an args schema; see ./types.ts. They read `response.sse` (the engine's SSE reader:
 * events, framing diagnostics, how the stream ended). Azure's legal stream shapes pass: a first event with
 * `choices: []` and an empty identity carrying prompt_filter_results, content-filter annotation events without a
 * `delta` (even after the finish chunk), SSE comments, many tokens per chunk, any SSE line ending.
 * The choices (first role, finish, indexes) are judged in ./stream-choices.ts; calls, log probabilities and usage in
 * ./stream-calls.ts; what each chunk carries in ./stream-chunks.ts.
 */
import type { RecordedStream } from '../model.ts';
import { mediaType } from './http.ts';
import { CHECKS as CALL_CHECKS } from './stream-calls.ts';
import { CHECKS as CHOICE_CHECKS } from './stream-choices.ts';
import { bareDoneLines, CHOICE_WITHOUT_INDEX, chunkChoices, DONE, DONE_MALFORMED, failWith, isEmptyIdentity, isNearDone, type Json, type Kind, list, NO_DONE, NOT_A_STREAM, onStream, type Problem, snippet } from './stream-data.ts';
import { typeName } from './body.ts';
import { type CheckDefinition, fail, isRecord, noArgs, pass, verdict } from './types.ts';

export { DONE } from './stream-data.ts';

// ---- the envelope ------------------------------------------------------------------------------------------

export const streamSse: CheckDefinition = {
  name: 'stream-sse',
  requirement: 'AOAI-STREAM-SSE',
  category: 'streaming',
  description: 'Looks at the Content-Type of the answer to a `stream: true` request and whether the body was read as an event stream or as a JSON document.',
  gate: true,
  args: noArgs,
  run({ response }) {
    const type = response.headers['content-type'];
    if (mediaType(type) === 'text/event-stream') return pass('text/event-stream', type);
    const shown = type ?? '(no Content-Type header)';
    // An event stream under another label is still judged by every stream check: only the label is wrong.
    if (response.sse) return fail('text/event-stream', shown, `the event stream (${response.sse.events.length} events) is labelled ${type ?? 'with no Content-Type at all'}, not text/event-stream`);
    const looksJson = response.bodyText.trimStart().startsWith('{');
    return { ...fail('text/event-stream', shown, `a stream was requested but the response (HTTP ${response.status}) is ${looksJson ? 'a JSON document' : 'not an event stream'} (Content-Type ${shown}): ${snippet(response.bodyText)}`), stops: 'all', findings: [NOT_A_STREAM] };
  },
};

export const streamDeclined: CheckDefinition = {
  name: 'stream-declined',
  requirement: 'AOAI-STREAM-BEST-OF',
  category: 'streaming',
  description: 'Looks at the status and the kind of body of the answer to a request whose results cannot be streamed: a 4xx, a JSON document or an event stream.',
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
  requirement: 'AOAI-STREAM-ENDS',
  category: 'streaming',
  description: "Follows the stream to its end, `data: [DONE]` and the server closing it, within the reader's limits (idle time, total time, events, bytes).",
  gate: true,
  args: noArgs,
  run: onStream(({ sse, payloads }, { response }) => {
    const sawDone = payloads.some((p) => p.done);
    const expected = 'the stream ends with data: [DONE] and the server closes it';
    // The body size limit can cut a stream before the reader sees its own byte limit: that is no end either.
    const end: RecordedStream['end'] = sse.end.kind === 'eof' && response.truncated ? { kind: 'max-bytes', limit: sse.diagnostics.totalBytes } : sse.end;
    if (end.kind === 'eof' && sawDone) return pass(expected, describeEnd(end, sse));
    if (end.kind === 'eof') {
      // The server ended the response, but without the terminator a client cannot tell a finished stream from a cut one.
      const attempt = bareDoneLines(sse).length > 0 || payloads.some((p) => isNearDone(p.data));
      // One finding however the sentinel went wrong: stream-done says how it is malformed.
      return { ...fail(expected, 'closed without data: [DONE]', `the server closed the stream after ${payloads.length} event(s) without data: [DONE]${attempt ? ' (its [DONE] is malformed)' : ''}`), findings: [NO_DONE] };
    }
    // Clients stop reading at [DONE]; a connection merely left open afterwards strands nobody.
    if (end.kind === 'idle-timeout' && sawDone) return pass(expected, 'the connection stayed open after [DONE]', 'the stream reached [DONE]; the server kept the connection open afterwards');
    return { ...fail(expected, end, `${describeEnd(end, sse)}${sawDone ? '' : ' (no [DONE] was received)'}`), stops: 'whole-stream' };
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
  requirement: 'AOAI-STREAM-DATA-ONLY',
  category: 'streaming',
  description: 'Reads the raw event stream as the SSE parser sees it: the fields of each event (`data:` only, no event names or unknown fields), the blank line ending it, the UTF-8 decoding. Comments, a BOM and LF, CRLF or CR line endings are accepted.',
  args: noArgs,
  run: onStream(({ sse }) => {
    const d = sse.diagnostics;
    const problems: string[] = [];
    const named = [...new Set(sse.events.filter((e) => e.event !== 'message').map((e) => e.event))];
    if (named.length) problems.push(`named events (event: ${named.join(', ')}) in a data-only stream`);
    const bare = bareDoneLines(sse);
    // A line without a colon is a field of that name too: reported once, as the line it is.
    const unknown = d.unknownFields.filter((f) => !d.fieldsWithoutColon.includes(f));
    if (unknown.length) problems.push(`unknown fields: ${unknown.join(', ')}`);
    if (bare.length) problems.push(`a bare ${JSON.stringify(bare[0])} line: the sentinel must be the data field data: [DONE]`);
    const noColon = d.fieldsWithoutColon.filter((f) => !bare.includes(f));
    if (noColon.length) problems.push(`lines without a colon: ${noColon.map((f) => JSON.stringify(snippet(f, 40))).join(', ')}`);
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
  requirement: 'AOAI-STREAM-DONE',
  category: 'streaming',
  description: "Scans the stream's events for the `[DONE]` sentinel: how often it comes, whether it is the last event and whether anything follows it; a bare `[DONE]` line or a variant of the sentinel does not count as one.",
  wholeStream: true,
  args: noArgs,
  run: onStream(({ sse, payloads }) => {
    const done = payloads.filter((p) => p.done).map((p) => p.event);
    const expected = 'one data: [DONE], last';
    if (done.length === 0) {
      const bare = bareDoneLines(sse);
      if (bare.length) return { ...fail(expected, JSON.stringify(bare[0]), `the stream has no terminator: its ${JSON.stringify(bare[0])} line has no data: field, so it is no event`), findings: [NO_DONE, DONE_MALFORMED] };
      const near = payloads.find((p) => isNearDone(p.data));
      if (near) return { ...fail(expected, JSON.stringify(near.data), `the sentinel is not exactly "[DONE]": ${JSON.stringify(near.data)} (event ${near.event})`), findings: [NO_DONE, DONE_MALFORMED] };
      return { ...fail(expected, '(none)', `the stream has no data: [DONE] (${payloads.length} events)`), findings: [NO_DONE] };
    }
    if (done.length > 1) return fail(expected, `[DONE] at events ${done.join(', ')}`, `data: [DONE] was sent ${done.length} times`);
    const after = payloads.length - 1 - done[0];
    return verdict(after === 0, expected, after === 0 ? `[DONE] at event ${done[0]} of ${payloads.length}` : `${after} event(s) after [DONE]`, `${after} event(s) follow data: [DONE]: ${snippet(payloads[done[0] + 1]?.data ?? '')}`);
  }),
};

export const streamPayloadJson: CheckDefinition = {
  name: 'stream-payload-json',
  requirement: 'AOAI-STREAM-CHUNK-JSON',
  category: 'streaming',
  description: 'Runs JSON.parse on the data of every event but the [DONE] sentinel.',
  args: noArgs,
  run: onStream(({ payloads }) => {
    const bad = payloads.filter((p) => !p.done && p.parseError !== undefined);
    if (bad.length === 0) return pass('JSON payloads', `${payloads.filter((p) => !p.done).length} JSON payloads`);
    const outcome = fail('JSON payloads', bad.slice(0, 5).map((p) => ({ event: p.event, data: snippet(p.data) })), `${bad.length} payload(s) are not JSON, e.g. event ${bad[0].event}: ${JSON.stringify(snippet(bad[0].data))} (${bad[0].parseError})`);
    // A malformed sentinel is stream-done's finding, not a chunk that failed to be JSON.
    return { ...outcome, findings: [...new Set(bad.map((p) => (isNearDone(p.data) ? DONE_MALFORMED : 'stream: a payload that is not JSON')))] };
  }),
};

// ---- chunks ------------------------------------------------------------------------------------------------

const AZURE_ANNOTATION = 'azure-openai/2024-06-01/azureChatCompletionStreamAnnotation';

/** The chunk component of a stream kind and surface (the annotation event is the other branch). */
function chunkComponent(kind: Kind, surface: string): string {
  if (kind === 'chat') return 'createChatCompletionStreamResponse';
  // Model Inference: streamed and non-streamed completions share one shape (seed 000).
  return surface.startsWith('model-inference/') ? `${surface}/CreateCompletionResponse` : 'createCompletionStreamResponse';
}

/** Whether a payload is meant as an Azure filter event rather than a chunk: the branch whose issues apply. */
function looksLikeAnnotation(chunk: Json, kind: Kind): boolean {
  if (isEmptyIdentity(chunk)) return true;
  const choices = chunkChoices(chunk);
  if (choices.length === 0) return 'prompt_filter_results' in chunk || 'prompt_annotations' in chunk;
  return choices.every((c) => !(kind === 'chat' ? 'delta' in c : 'text' in c)) && choices.some((c) => 'content_filter_results' in c);
}

const INDEX_REQUIRED = /^\/choices\/\d+\/index$/;

export const streamChunkSchema: CheckDefinition = {
  name: 'stream-chunk-schema',
  requirement: 'AOAI-STREAM-CHUNK-SCHEMA',
  category: 'streaming',
  description: 'Validates every JSON payload as a chunk (chat: createChatCompletionStreamResponse; completions: the text_completion shape), an Azure content-filter annotation event or, for an `{"error": …}` payload, an error body. A failure names the issues of the branch the payload is meant as.',
  args: {
    type: 'object',
    additionalProperties: false,
    properties: { component: { type: 'string', minLength: 1, description: 'override the component every chunk is validated against' } },
  },
  run: onStream(({ chunks, payloads, kind }, { schemas, surface, args }) => {
    const override = typeof args.component === 'string' ? args.component : undefined;
    const chunkBranch = override ?? chunkComponent(kind, surface);
    // Mid-stream errors (schemas D23) are OpenAI-style error objects in every profile.
    const errorComponent = 'azure-openai/2024-06-01/errorResponse';
    const problems: Problem[] = [];
    for (const p of payloads) {
      if (p.done || p.parseError !== undefined || isRecord(p.json)) continue;
      // "[DONE]" sent as a JSON string is a malformed sentinel, which stream-done reports.
      problems.push({ text: `event ${p.event}: ${p.json === null ? 'null' : `a JSON ${typeName(p.json)}`}, not an object`, findings: typeof p.json === 'string' && isNearDone(p.json) ? [DONE_MALFORMED] : undefined });
    }
    for (const { event, chunk } of chunks) {
      const isError = 'error' in chunk && !('choices' in chunk);
      const branches = isError ? [errorComponent] : override ? [override] : [chunkBranch, AZURE_ANNOTATION];
      const outcomes = branches.map((component) => schemas.validate(component, chunk, surface));
      if (outcomes.some((o) => o.valid)) continue;
      const applies = branches.length > 1 && looksLikeAnnotation(chunk, kind) ? 1 : 0;
      const issues = outcomes[applies].issues;
      const text = `event ${event}${applies ? ' (an annotation event)' : ''}: ${issues.slice(0, 3).map((i) => i.message).join(', ')}`;
      // A choice without its index is also what stream-choice-indexes reports: the defect is reported once.
      const indexIssues = issues.filter((i) => i.keyword === 'required' && INDEX_REQUIRED.test(i.pointer)).length;
      problems.push({ text, findings: indexIssues === 0 ? undefined : indexIssues === issues.length ? [CHOICE_WITHOUT_INDEX] : [CHOICE_WITHOUT_INDEX, 'stream-chunk-schema'] });
    }
    const expected = `every payload valid against ${override ?? `${chunkBranch} or ${AZURE_ANNOTATION}`}`;
    if (!problems.length) return pass(expected, `${chunks.length} valid payloads`);
    return failWith('stream-chunk-schema', expected, problems.map((p) => p.text).slice(0, 10), problems, `${problems.length} payload(s) are not valid stream chunks: ${list(problems.map((p) => p.text), 2)}`);
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
  ...CHOICE_CHECKS,
  ...CALL_CHECKS,
];
