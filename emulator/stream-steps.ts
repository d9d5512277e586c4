/**
 * The per-choice steps of a stream (emulator/stream.ts): each step is one chunk's `choices[0]`, pieces of the
 * content, of tool-call arguments and of logprobs that reassemble into the full choice; and Azure's annotation events.
 */
import { choiceFilterResults } from './content-filter.ts';
import { isRecord, type Json, type PlanOptions, type Step, type StreamItem, type StreamStyle } from './stream-types.ts';

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

export function chatSteps(choice: Json, opts: PlanOptions): Step[] {
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

export function completionSteps(choice: Json, opts: PlanOptions): Step[] {
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
export function annotations(choices: Json[], steps: Step[][]): StreamItem[] {
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
