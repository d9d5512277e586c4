/**
 * Legal variations of streams: the framings the SSE standard allows (every line ending, comments, a BOM, no space
 * after `data:`), other chunkings of the same content, and the other stream shape. Implemented as rewrites of the
 * stream's items and of its framed text, so they compose with the stream faults of emulator/stream.ts.
 */
import type { StreamItem } from '../stream.ts';
import { isRecord } from './json.ts';
import type { SeedQuote, Variation } from './types.ts';

type Json = Record<string, unknown>;
type Chunk = Extract<StreamItem, { kind: 'chunk' }>;

const DATA_ONLY: SeedQuote[] = [
  { seed: '003', quote: 'los tokens se enviarán como eventos enviados por el servidor solo de datos a medida que estén disponibles' },
  { seed: '000', quote: 'tokens will be sent as data-only server-sent events as they become available' },
];
const SSE_STANDARD = 'the WHATWG HTML event-stream format (§9.2.6), which "server-sent events" names:';

/** The line terminator a frame ends with. */
function eolOf(frame: string): string {
  return frame.endsWith('\r\n') ? '\r\n' : frame.endsWith('\r') ? '\r' : '\n';
}

async function* mapFrames(frames: AsyncIterable<string | Buffer>, fn: (frame: string, i: number) => string): AsyncGenerator<string> {
  let i = 0;
  for await (const frame of frames) yield fn(typeof frame === 'string' ? frame : frame.toString('utf8'), i++);
}

/** A `data: {json}` event rewritten with its JSON pretty-printed over several `data:` lines; anything else as it was. */
function multilineData(frame: string): string {
  const eol = eolOf(frame);
  const m = /^data: (\{.*\})(\r\n|\r|\n)/.exec(frame);
  if (!m) return frame;
  const lines = JSON.stringify(JSON.parse(m[1]) as unknown, null, 1).split('\n');
  return `${lines.map((line) => `data: ${line}${eol}`).join('')}${frame.slice(m[0].length)}`;
}

/** The one choice of a per-choice chunk, if it is one. */
function soleChoice(item: StreamItem): Json | undefined {
  if (item.kind !== 'chunk' || !Array.isArray(item.chunk.choices) || item.chunk.choices.length !== 1) return undefined;
  const [choice] = item.chunk.choices;
  return isRecord(choice) ? choice : undefined;
}

/** The text a content chunk carries (chat delta.content or completions text) and where it lives. */
function textOf(choice: Json): { holder: Json; key: 'content' | 'text'; text: string } | undefined {
  if (isRecord(choice.delta) && typeof choice.delta.content === 'string') return { holder: choice.delta, key: 'content', text: choice.delta.content };
  if (typeof choice.text === 'string' && !('delta' in choice)) return { holder: choice, key: 'text', text: choice.text };
  return undefined;
}

/** One chunk per token: a content chunk without log probabilities or calls is cut into one chunk per word piece. */
function tokenPerChunk(items: StreamItem[]): StreamItem[] {
  return items.flatMap((item): StreamItem[] => {
    const choice = soleChoice(item);
    const found = choice && textOf(choice);
    const delta = choice && isRecord(choice.delta) ? choice.delta : {};
    if (!choice || !found || isRecord(choice.logprobs) || 'tool_calls' in delta || 'function_call' in delta || (item as Chunk).chunk.id === '') return [item];
    const tokens = found.text.match(/\s*\S+|\s+/gu) ?? [];
    if (tokens.length < 2) return [item];
    return tokens.map((token, k) => {
      const copy = structuredClone((item as Chunk).chunk);
      const piece = (copy.choices as Json[])[0];
      const holder = found.key === 'content' ? (piece.delta as Json) : piece;
      holder[found.key] = token;
      if (k > 0 && isRecord(piece.delta)) delete piece.delta.role;
      if (k < tokens.length - 1 && piece.finish_reason !== undefined) piece.finish_reason = null;
      return { kind: 'chunk', chunk: copy };
    });
  });
}

function isFinishOnly(choice: Json): boolean {
  if (choice.finish_reason === null || choice.finish_reason === undefined) return false;
  if (isRecord(choice.delta)) return Object.keys(choice.delta).length === 0;
  return choice.text === '';
}

function isRoleOnly(choice: Json): boolean {
  const delta = isRecord(choice.delta) ? choice.delta : undefined;
  const empty = (v: unknown) => v === '' || v === null || v === undefined;
  return !!delta && 'role' in delta && empty(delta.content) && !('tool_calls' in delta) && !('function_call' in delta) && (choice.finish_reason ?? null) === null;
}

/** The role rides on the first content delta, the finish reason on the last content chunk: no role-only or finish-only chunks. */
function compact(items: StreamItem[]): StreamItem[] {
  const out = [...items];
  const sameChoiceAfter = (from: number, index: unknown, step: 1 | -1): number => {
    for (let at = from + step; at >= 0 && at < out.length; at += step) {
      const c = soleChoice(out[at]);
      if (c && c.index === index && (out[at] as Chunk).chunk.id !== '' && ('delta' in c || 'text' in c)) return at;
    }
    return -1;
  };
  for (let at = 0; at < out.length; at++) {
    const choice = soleChoice(out[at]);
    if (!choice || !isRoleOnly(choice)) continue;
    const next = sameChoiceAfter(at, choice.index, 1);
    if (next < 0) continue;
    const target = soleChoice(out[next])!;
    const { content: _empty, ...role } = choice.delta as Json;
    target.delta = { ...role, ...(isRecord(target.delta) ? target.delta : {}) };
    out.splice(at--, 1);
  }
  for (let at = out.length - 1; at >= 0; at--) {
    const choice = soleChoice(out[at]);
    if (!choice || !isFinishOnly(choice)) continue;
    const previous = sameChoiceAfter(at, choice.index, -1);
    const target = previous >= 0 ? soleChoice(out[previous]) : undefined;
    if (!target || (target.finish_reason ?? null) !== null) continue;
    target.finish_reason = choice.finish_reason;
    out.splice(at, 1);
  }
  return out;
}

export const VARIATIONS: Variation[] = [
  // Frame rewrites apply in this order: the payload's own layout first, then the framing around it.
  {
    id: 'sse-multiline-data',
    area: 'streaming',
    responses: ['stream'],
    operations: ['chat.completions', 'completions'],
    does: 'each JSON payload is pretty-printed over several `data:` lines of one event',
    allowedBy: DATA_ONLY,
    because: `${SSE_STANDARD} the data lines of one event are joined with line feeds, and JSON allows the whitespace (RFC 8259 §2)`,
    frames: (frames) => mapFrames(frames, multilineData),
  },
  {
    id: 'sse-line-endings-mixed',
    responses: ['stream'],
    area: 'streaming',
    operations: ['chat.completions', 'completions'],
    does: 'stream events end their lines with CRLF, CR and LF in turn (all three in one stream)',
    allowedBy: DATA_ONLY,
    because: `${SSE_STANDARD} "end-of-line = ( cr lf / cr / lf )", per line`,
    frames: (frames) => mapFrames(frames, (frame, i) => frame.replace(/\r\n|\r|\n/g, ['\r\n', '\r', '\n'][i % 3])),
  },
  {
    id: 'sse-comments',
    responses: ['stream'],
    area: 'streaming',
    operations: ['chat.completions', 'completions'],
    does: 'keep-alive comments before the first event and between events, and a comment line inside events',
    allowedBy: DATA_ONLY,
    because: `${SSE_STANDARD} a line starting with a colon is a comment and is ignored (servers send them as keep-alives)`,
    frames: (frames) =>
      mapFrames(frames, (frame, i) => {
        const eol = eolOf(frame);
        const lead = i === 0 ? `: keep-alive${eol}${eol}` : i % 3 === 0 ? `:${eol}${eol}` : '';
        return `${lead}${i % 2 === 1 ? `: ping ${i}${eol}` : ''}${frame}`;
      }),
  },
  {
    id: 'sse-bom',
    responses: ['stream'],
    area: 'streaming',
    operations: ['chat.completions', 'completions'],
    does: 'the event stream starts with a UTF-8 byte-order mark',
    allowedBy: DATA_ONLY,
    because: `${SSE_STANDARD} "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present"`,
    frames: (frames) => mapFrames(frames, (frame, i) => (i === 0 ? `\uFEFF${frame}` : frame)),
  },
  {
    id: 'sse-data-no-space',
    responses: ['stream'],
    area: 'streaming',
    operations: ['chat.completions', 'completions'],
    does: '`data:` fields have no space after the colon (`data:{…}`, `data:[DONE]`)',
    allowedBy: DATA_ONLY,
    because: `${SSE_STANDARD} a single space after the colon is optional and removed when present`,
    frames: (frames) => mapFrames(frames, (frame) => frame.replace(/(^|[\r\n])data: /g, '$1data:')),
  },
  {
    id: 'sse-token-per-chunk',
    responses: ['stream'],
    area: 'streaming',
    operations: ['chat.completions', 'completions'],
    does: 'every token of content arrives in its own chunk (Azure-shaped streams otherwise group several)',
    allowedBy: DATA_ONLY,
    because: 'tokens are sent "as they become available" (a medida que estén disponibles); how many a chunk holds is not fixed (AZURE-BEHAVIOUR.md: the content filter buffers many)',
    plan: tokenPerChunk,
  },
  {
    id: 'sse-compact-deltas',
    responses: ['stream'],
    area: 'streaming',
    operations: ['chat.completions', 'completions'],
    does: 'no role-only or finish-only chunk: the role rides on the first content delta, the finish_reason on the last content chunk',
    allowedBy: [{ seed: '003', quote: 'Si se establece, se enviarán deltas de mensajes parciales, como en ChatGPT.' }],
    because: 'AZURE-BEHAVIOUR.md says OpenAI-compatible servers "commonly" send the finish reason in a chunk of its own; llama.cpp and others put it on the last content chunk, and nothing requires a role-only chunk',
    plan: compact,
  },
  {
    id: 'stream-shape-swapped',
    responses: ['stream'],
    area: 'streaming',
    operations: ['chat.completions', 'completions'],
    profiles: ['azure-openai', 'openai'],
    does: 'azure-openai streams are plain OpenAI-shaped (no filter events) and openai-profile streams are Azure-shaped (prompt-filter first event, annotation events)',
    allowedBy: [{ seed: '003', quote: 'En una solicitud de streaming, los resultados de las distintas indicaciones pueden llegar en distintos momentos o en distintos órdenes.' }],
    because: 'AZURE-BEHAVIOUR.md: Azure\'s first event and annotation events come from its content filter, which may be off; an Azure deployment reached through an OpenAI-style route sends them',
    streamStyle: (style, profile) => (profile === 'model-inference' ? style : style === 'azure' ? 'openai' : 'azure'),
  },
];
