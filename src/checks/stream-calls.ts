/**
 * Checks on what streamed chat and completions carry in pieces: tool calls and function calls (which must
 * reassemble), log probabilities and usage counts. See ./stream.ts for the envelope, framing and chunks.
 */
import { chunkChoices, finishes, isContentChunk, type Json, list, onStream, snippet, type StreamData, tracks } from './stream-data.ts';
import { requestedChoices } from './request.ts';
import { type CheckDefinition, fail, isRecord, noArgs, pass, verdict } from './types.ts';

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
  requirement: 'AOAI-STREAM-TOOL-CALLS',
  category: 'streaming',
  wholeStream: true,
  description: 'Reassembles the tool-call fragments of each choice by index (the first fragment of a call carries its id and function name, later ones the index and pieces of the arguments) and compares the calls with the forced function.',
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
  requirement: 'AOAI-STREAM-FUNCTION-CALL',
  category: 'streaming',
  wholeStream: true,
  description: "Reassembles each choice's streamed function_call fragments (deprecated functions API: the first carries the name, later ones pieces of the arguments) and compares the call with the forced function.",
  args: functionArg,
  run: onStream(({ chunks }, { args, requestBody }) => {
    const name = String(args.function);
    const n = requestedChoices(requestBody);
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
  requirement: 'AOAI-STREAM-CALL-ARGUMENTS-JSON',
  category: 'streaming',
  wholeStream: true,
  description: "Reassembles each streamed tool call's or function_call's `arguments` fragments and parses the result as JSON.",
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
  requirement: 'AOAI-STREAM-LOGPROBS',
  category: 'streaming',
  description: 'Looks for log probabilities in every chunk that carries content: chat `logprobs.content` entries, completions `logprobs.tokens`.',
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
  requirement: 'AOAI-STREAM-USAGE-GATED',
  category: 'streaming',
  description: "Looks for usage counts in the stream's chunks and compares with whether the request set stream_options.include_usage (which 2024-06-01 and Model Inference do not define).",
  args: noArgs,
  run: onStream(({ chunks }, { requestBody }) => {
    if (includeUsageRequested(requestBody)) return pass('usage as requested', 'stream_options.include_usage was requested', 'usage was requested; nothing to judge');
    const found = usageChunks(chunks);
    return verdict(found.length === 0, 'no usage counts (absent or null)', found.length ? found.map((f) => ({ event: f.event, usage: f.usage })) : 'none', `usage counts arrive in ${found.length} chunk(s) (event ${found.map((f) => f.event).join(', ')}) although the request did not ask for them with stream_options.include_usage`);
  }),
};

export const streamUsageChunk: CheckDefinition = {
  name: 'stream-usage-chunk',
  requirement: 'AOAI-STREAM-USAGE-CHUNK',
  category: 'streaming',
  wholeStream: true,
  description: 'Finds the chunks with `choices: []` and usage counts, and their place in the stream: after the last chunk that finishes a choice, before [DONE].',
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
  requirement: 'AOAI-USAGE-TOTAL',
  category: 'streaming',
  description: 'Adds prompt_tokens and completion_tokens of every usage object in the stream and compares the sum with its total_tokens (a stream without usage has nothing to add up).',
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
  streamToolCalls,
  streamFunctionCall,
  streamCallArgumentsJson,
  streamLogprobs,
  streamUsageGated,
  streamUsageChunk,
  streamUsageSums,
];
