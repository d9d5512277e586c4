/** Shared by the SSE parser's tests: feed chunks to a fresh parser and read what it dispatched. */
import { SseParser, type SseDiagnostics, type SseEvent } from '../../src/sse/reader.ts';

const encoder = new TextEncoder();
export const bytesOf = (text: string) => encoder.encode(text);

/** Parses the chunks with a fresh parser; strings are UTF-8 encoded first. */
export function parse(chunks: Array<string | Uint8Array>): { events: SseEvent[]; diagnostics: SseDiagnostics } {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  for (const chunk of chunks) events.push(...parser.push(typeof chunk === 'string' ? bytesOf(chunk) : chunk));
  return { events, diagnostics: parser.end() };
}

export const datas = (events: SseEvent[]) => events.map((e) => e.data);
