import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIAGNOSTIC_LIMIT, SseParser, readSse, type SseDiagnostics, type SseEvent } from '../../src/sse/reader.ts';

const encoder = new TextEncoder();
const bytesOf = (text: string) => encoder.encode(text);

/** Parses the chunks with a fresh parser; strings are UTF-8 encoded first. */
function parse(chunks: Array<string | Uint8Array>): { events: SseEvent[]; diagnostics: SseDiagnostics } {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  for (const chunk of chunks) events.push(...parser.push(typeof chunk === 'string' ? bytesOf(chunk) : chunk));
  return { events, diagnostics: parser.end() };
}

const datas = (events: SseEvent[]) => events.map((e) => e.data);

describe('SseParser: line endings', () => {
  it('splits on LF, CRLF and CR and counts each style', () => {
    const { events, diagnostics } = parse(['data: a\n\ndata: b\r\n\r\ndata: c\r\r']);
    expect(datas(events)).toEqual(['a', 'b', 'c']);
    expect(diagnostics.lineEndings).toEqual({ lf: 2, crlf: 2, cr: 2 });
  });

  it('treats CR ending one chunk and LF starting the next as ONE CRLF', () => {
    const { events, diagnostics } = parse(['data: a\r', '\n\r', '\n']);
    expect(datas(events)).toEqual(['a']);
    expect(diagnostics.lineEndings).toEqual({ lf: 0, crlf: 2, cr: 0 });
  });

  it('counts a CR at a chunk end followed by a non-LF as CR', () => {
    const { events, diagnostics } = parse(['data: a\r', '\r', 'data: b\n\n']);
    expect(datas(events)).toEqual(['a', 'b']);
    expect(diagnostics.lineEndings).toEqual({ lf: 2, crlf: 0, cr: 2 });
  });

  it('counts a CR that ends the stream as CR', () => {
    expect(parse(['data: a\n\r']).diagnostics.lineEndings).toEqual({ lf: 1, crlf: 0, cr: 1 });
  });

  it('keeps the CR/CRLF decision across empty chunks', () => {
    const { events, diagnostics } = parse(['data: a\r', '', '\n\r', new Uint8Array(0), '\n']);
    expect(datas(events)).toEqual(['a']);
    expect(diagnostics.lineEndings).toEqual({ lf: 0, crlf: 2, cr: 0 });
  });
});

describe('SseParser: BOM', () => {
  it('strips a leading UTF-8 BOM and reports it, even when split across chunks', () => {
    const bytes = bytesOf('\uFEFFdata: a\n\n');
    const { events, diagnostics } = parse([bytes.subarray(0, 1), bytes.subarray(1, 2), bytes.subarray(2)]);
    expect(datas(events)).toEqual(['a']);
    expect(diagnostics.bom).toBe(true);
  });

  it('strips only one BOM, and only at stream start', () => {
    const twice = parse(['\uFEFF\uFEFFdata: a\n\n']);
    expect(twice.events).toEqual([]);
    expect(twice.diagnostics.unknownFields).toEqual(['\uFEFFdata']);

    const later = parse(['\n\uFEFFdata: a\n\n']);
    expect(later.events).toEqual([]);
    expect(later.diagnostics.bom).toBe(false);
  });
});

describe('SseParser: fields', () => {
  it('ignores comments but records them with a count', () => {
    const { events, diagnostics } = parse([': ping\n:\ndata: a\n\n:x\n']);
    expect(datas(events)).toEqual(['a']);
    expect(diagnostics.comments).toEqual([' ping', '', 'x']);
    expect(diagnostics.commentCount).toBe(3);
  });

  it('bounds the stored comments but keeps counting', () => {
    const { diagnostics } = parse([':c\n'.repeat(DIAGNOSTIC_LIMIT + 10)]);
    expect(diagnostics.comments).toHaveLength(DIAGNOSTIC_LIMIT);
    expect(diagnostics.commentCount).toBe(DIAGNOSTIC_LIMIT + 10);
  });

  it('treats a line without a colon as a field name with an empty value', () => {
    const { events, diagnostics } = parse(['data\n\ndata\ndata\n\nevent\ndata: x\n\n']);
    expect(events.map((e) => [e.event, e.data])).toEqual([
      ['message', ''],
      ['message', '\n'],
      ['message', 'x'],
    ]);
    expect(diagnostics.fieldsWithoutColon).toEqual(['data', 'event']);
  });

  it('strips exactly one space after the colon', () => {
    const { events } = parse(['data:a\n\ndata: a\n\ndata:  a\n\ndata:\ta\n\n']);
    expect(datas(events)).toEqual(['a', 'a', ' a', '\ta']);
  });

  it('splits on the first colon only', () => {
    expect(datas(parse(['data: {"a":"b:c"}\n\n']).events)).toEqual(['{"a":"b:c"}']);
  });

  it('joins multi-line data with LF and drops only the final LF', () => {
    const { events } = parse(['data: a\ndata:\ndata: b\n\ndata: \ndata: \n\n']);
    expect(datas(events)).toEqual(['a\n\nb', '\n']);
  });

  it('sets the event type, falling back to message when empty, and resets it per event', () => {
    const { events } = parse(['event: delta\ndata: 1\n\nevent:\ndata: 2\n\ndata: 3\n\n']);
    expect(events.map((e) => e.event)).toEqual(['delta', 'message', 'message']);
  });

  it('keeps the last event id across events and ignores ids containing NUL', () => {
    const { events } = parse(['id: 1\ndata: a\n\ndata: b\n\nid: 2\0x\ndata: c\n\nid\ndata: d\n\n']);
    expect(events.map((e) => e.id)).toEqual(['1', '1', '1', undefined]);
  });

  it('applies an id even from a block that dispatches nothing', () => {
    expect(parse(['id: 7\n\ndata: a\n\n']).events[0].id).toBe('7');
  });

  it('accepts retry only when it is all ASCII digits', () => {
    const { events } = parse([
      'retry: 1500\ndata: a\n\nretry: 15x\ndata: b\n\nretry: -1\ndata: c\n\nretry:\ndata: d\n\nretry: ١\ndata: e\n\n',
    ]);
    expect(events.map((e) => e.retry)).toEqual([1500, undefined, undefined, undefined, undefined]);
  });

  it('ignores unknown fields (case-sensitive) and records their names once', () => {
    const { events, diagnostics } = parse(['Data: x\nfoo: 1\nfoo: 2\ndata: a\n\n']);
    expect(datas(events)).toEqual(['a']);
    expect(diagnostics.unknownFields).toEqual(['Data', 'foo']);
  });
});

describe('SseParser: dispatch', () => {
  it('does not dispatch a block without data', () => {
    const { events } = parse(['event: x\nid: 1\nretry: 5\n\n: only a comment\n\n\n\n']);
    expect(events).toEqual([]);
  });

  it('does not dispatch data left without a blank line at EOF, but reports it', () => {
    const { events, diagnostics } = parse(['data: a\n\ndata: b\ndata: c\n']);
    expect(datas(events)).toEqual(['a']);
    expect(diagnostics.trailingUndispatched).toBe('data: b\ndata: c');
  });

  it('reports an unterminated data line at EOF', () => {
    const { events, diagnostics } = parse(['data: [DONE]']);
    expect(events).toEqual([]);
    expect(diagnostics.trailingUndispatched).toBe('data: [DONE]');
  });

  it('notes the field of an unterminated last line that carries no data: a bare [DONE] at EOF is a line without a colon', () => {
    const { events, diagnostics } = parse(['data: a\n\n[DONE]']);
    expect(datas(events)).toEqual(['a']);
    expect(diagnostics.trailingUndispatched).toBeNull();
    expect(diagnostics.fieldsWithoutColon).toEqual(['[DONE]']);
    expect(parse(['data: a\n\nDATA: [DONE]']).diagnostics.unknownFields).toEqual(['DATA']);
    expect(parse(['data: a\n\n: bye']).diagnostics).toMatchObject({ fieldsWithoutColon: [], unknownFields: [] });
  });

  it('does not report an unfinished block without data', () => {
    expect(parse(['data: a\n\n: keepalive\nevent: x\n']).diagnostics.trailingUndispatched).toBeNull();
    expect(parse(['data: a\n\n']).diagnostics.trailingUndispatched).toBeNull();
  });

  it('numbers the events across mixed line endings, comments and blank lines', () => {
    const text = ': hi\r\ndata: a\r\n\r\n\ndata: é\n\n';
    const { events, diagnostics } = parse([text]);
    expect(events.map((e) => [e.index, e.data])).toEqual([
      [0, 'a'],
      [1, 'é'],
    ]);
    expect(diagnostics.lineEndings).toEqual({ lf: 3, crlf: 3, cr: 0 });
  });

  it('calls onEvent and stops after maxEvents when more arrive', () => {
    const seen: string[] = [];
    const parser = new SseParser({ maxEvents: 2, onEvent: (e) => seen.push(e.data) });
    parser.push(bytesOf('data: 1\n\ndata: 2\n\n'));
    expect(parser.limitExceeded).toBe(false);
    parser.push(bytesOf('data: 3\n\ndata: 4\n\n'));
    expect(parser.limitExceeded).toBe(true);
    expect(seen).toEqual(['1', '2']);
    expect(parser.end().eventCount).toBe(2);
  });
});

describe('SseParser: UTF-8', () => {
  it('keeps multi-byte characters split across chunks', () => {
    const bytes = bytesOf('data: é€😀\n\n');
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) {
        const { events, diagnostics } = parse([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
        expect(datas(events)).toEqual(['é€😀']);
        expect(diagnostics.invalidUtf8).toBe(false);
      }
    }
  });

  it('flags invalid UTF-8 and decodes it with replacement characters', () => {
    const invalid = new Uint8Array([...bytesOf('data: a'), 0xff, 0xe2, 0x82, ...bytesOf('\n\n')]);
    const { events, diagnostics } = parse([invalid]);
    expect(datas(events)).toEqual(['a\uFFFD\uFFFD']);
    expect(diagnostics.invalidUtf8).toBe(true);
  });

  it('flags a multi-byte sequence cut short by a line end', () => {
    const { diagnostics } = parse([new Uint8Array([...bytesOf('data: '), 0xf0, 0x9f, ...bytesOf('\n\n')])]);
    expect(diagnostics.invalidUtf8).toBe(true);
  });

  it('does not flag a literal U+FFFD', () => {
    const { events, diagnostics } = parse(['data: \uFFFD\n\n']);
    expect(datas(events)).toEqual(['\uFFFD']);
    expect(diagnostics.invalidUtf8).toBe(false);
  });
});

// ---- property tests -------------------------------------------------------------------

/** One event block as a generator describes it. */
interface GenBlock {
  comments: string[];
  event?: string;
  id?: string;
  retry?: string;
  unknown?: [string, string];
  data: Array<{ value: string; space: boolean; bare: boolean }>;
  blankLinesAfter: number;
}

const lineChar = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom(':', ' ', '\0', '\t', '\uFEFF', '\uFFFD') },
  { weight: 2, arbitrary: fc.constantFrom('é', 'ß', '€', '中', '😀', '𝄞', '\u{10FFFF}') },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)) },
).filter((c) => c !== '\r' && c !== '\n' && !/^[\uD800-\uDFFF]$/.test(c));
const lineText = fc.string({ unit: lineChar, maxLength: 12 });

const blockArb: fc.Arbitrary<GenBlock> = fc.record(
  {
    comments: fc.array(lineText, { maxLength: 2 }),
    event: lineText,
    id: lineText,
    retry: fc.oneof(fc.stringMatching(/^[0-9]{1,6}$/), lineText),
    unknown: fc.tuple(fc.constantFrom('foo', 'Data', 'x-meta', 'ID'), lineText),
    data: fc.array(fc.record({ value: lineText, space: fc.boolean(), bare: fc.boolean() }), { maxLength: 3 }),
    blankLinesAfter: fc.integer({ min: 1, max: 2 }),
  },
  { requiredKeys: ['comments', 'data', 'blankLinesAfter'] },
);

interface GenStream {
  bom: boolean;
  blocks: GenBlock[];
  /** Line endings, used in turn for successive lines. */
  endings: string[];
}

const streamArb: fc.Arbitrary<GenStream> = fc.record({
  bom: fc.boolean(),
  blocks: fc.array(blockArb, { maxLength: 6 }),
  endings: fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 1, maxLength: 16 }),
});

function blockLines(block: GenBlock): string[] {
  const lines = block.comments.map((c) => `:${c}`);
  if (block.event !== undefined) lines.push(`event: ${block.event}`);
  if (block.id !== undefined) lines.push(`id: ${block.id}`);
  if (block.retry !== undefined) lines.push(`retry: ${block.retry}`);
  if (block.unknown) lines.push(`${block.unknown[0]}: ${block.unknown[1]}`);
  for (const { value, space, bare } of block.data) {
    if (value === '' && bare) lines.push('data');
    else lines.push(space || value.startsWith(' ') ? `data: ${value}` : `data:${value}`);
  }
  for (let i = 0; i < block.blankLinesAfter; i++) lines.push('');
  return lines;
}

/** Serialises a generated stream with the chosen line ending per line, tallying the styles used. */
function serialise(stream: GenStream): { bytes: Uint8Array; lineEndings: SseDiagnostics['lineEndings'] } {
  const tally = { lf: 0, crlf: 0, cr: 0 };
  let text = stream.bom ? '\uFEFF' : '';
  let previous = '';
  stream.blocks.flatMap(blockLines).forEach((line, i) => {
    let ending = stream.endings[i % stream.endings.length];
    // CR then an empty LF line reads as one CRLF, i.e. a different stream: avoid generating it.
    if (previous === '\r' && line === '' && ending === '\n') ending = '\r\n';
    tally[ending === '\n' ? 'lf' : ending === '\r' ? 'cr' : 'crlf']++;
    text += line + ending;
    previous = ending;
  });
  return { bytes: bytesOf(text), lineEndings: tally };
}

/** What a spec-following parser must dispatch for the generated stream. */
function expectedEvents(stream: GenStream): Array<Pick<SseEvent, 'event' | 'data' | 'id' | 'retry'>> {
  let lastId = '';
  const events: Array<Pick<SseEvent, 'event' | 'data' | 'id' | 'retry'>> = [];
  for (const block of stream.blocks) {
    if (block.id !== undefined && !block.id.includes('\0')) lastId = block.id;
    if (block.data.length === 0) continue;
    const event: Pick<SseEvent, 'event' | 'data' | 'id' | 'retry'> = {
      event: block.event || 'message',
      data: block.data.map((d) => d.value).join('\n'),
    };
    if (lastId !== '') event.id = lastId;
    if (block.retry !== undefined && /^[0-9]+$/.test(block.retry)) event.retry = Number(block.retry);
    events.push(event);
  }
  return events;
}

function checkAgainstModel(stream: GenStream, bytes: Uint8Array, parsed: ReturnType<typeof parse>): void {
  expect(parsed.events.map(({ event, data, id, retry }) => ({ event, data, id, retry }))).toEqual(expectedEvents(stream));
  expect(parsed.diagnostics.totalBytes).toBe(bytes.length);
  expect(parsed.diagnostics.bom).toBe(stream.bom);
  expect(parsed.diagnostics.trailingUndispatched).toBeNull();
  expect(parsed.diagnostics.invalidUtf8).toBe(false);
  expect(parsed.diagnostics.commentCount).toBe(stream.blocks.reduce((n, b) => n + b.comments.length, 0));
}

function chunksAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const positions = [0, ...cuts, bytes.length];
  return positions.slice(1).map((end, i) => bytes.subarray(positions[i], end));
}

describe('SseParser: properties', () => {
  it('parses generated streams as the model says, in one chunk', () => {
    fc.assert(
      fc.property(streamArb, (stream) => {
        const { bytes, lineEndings } = serialise(stream);
        const whole = parse([bytes]);
        checkAgainstModel(stream, bytes, whole);
        expect(whole.diagnostics.lineEndings).toEqual(lineEndings);
      }),
      { numRuns: 500 },
    );
  });

  it('gives identical events and diagnostics for a split at every byte position', () => {
    fc.assert(
      fc.property(streamArb, (stream) => {
        const { bytes } = serialise(stream);
        const whole = parse([bytes]);
        for (let cut = 0; cut <= bytes.length; cut++) {
          expect(parse(chunksAt(bytes, [cut]))).toEqual(whole);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('gives identical events and diagnostics for random multi-way splits (empty chunks included)', () => {
    fc.assert(
      fc.property(streamArb, fc.array(fc.nat(), { maxLength: 40 }), (stream, rawCuts) => {
        const { bytes } = serialise(stream);
        const cuts = rawCuts.map((n) => n % (bytes.length + 1)).sort((a, b) => a - b);
        const split = parse(chunksAt(bytes, cuts));
        expect(split).toEqual(parse([bytes]));
        checkAgainstModel(stream, bytes, split);
      }),
      { numRuns: 500 },
    );
  });

  it('gives identical results when fed one byte at a time', () => {
    fc.assert(
      fc.property(streamArb, (stream) => {
        const { bytes } = serialise(stream);
        const single = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
        expect(parse(single)).toEqual(parse([bytes]));
      }),
      { numRuns: 100 },
    );
  });
});

// ---- readSse over in-memory iterables ------------------------------------------------------

/** An async iterator over fixed chunks, then optionally an error or a never-settling next(); records return(). */
function scriptedBody(chunks: string[], then: 'done' | 'hang' | Error = 'done') {
  const state = { returned: false };
  let i = 0;
  const iterator: AsyncIterator<Uint8Array> = {
    next: () => {
      if (i < chunks.length) return Promise.resolve({ done: false, value: bytesOf(chunks[i++]) });
      if (then === 'hang') return new Promise(() => {});
      if (then instanceof Error) return Promise.reject(then);
      return Promise.resolve({ done: true, value: undefined });
    },
    return: () => {
      state.returned = true;
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  return { body: { [Symbol.asyncIterator]: () => iterator }, state };
}

const limits = { idleTimeoutMs: 10_000, maxEvents: 1000, maxBytes: 1 << 20 };

describe('readSse (in memory)', () => {
  it('reads to EOF and reports events, diagnostics and timings', async () => {
    const { body, state } = scriptedBody(['data: a\n', '\ndata: b\n\n', 'data: [DONE]\n\n']);
    const result = await readSse(body, { ...limits, startedAt: performance.now(), headersAt: performance.now() });
    expect(result.end).toEqual({ kind: 'eof' });
    expect(datas(result.events)).toEqual(['a', 'b', '[DONE]']);
    expect(result.diagnostics).toMatchObject({ eventCount: 3, totalBytes: 32, trailingUndispatched: null });
    expect(result.timings.meanGapMs).toBeGreaterThanOrEqual(0);
    expect(result.timings.maxGapMs).toBeGreaterThanOrEqual(result.timings.meanGapMs);
    expect(result.timings.firstEventMs).toBeTypeOf('number');
    expect(result.timings.headersMs).toBeTypeOf('number');
    expect(state.returned).toBe(false);
  });

  it('stops at max-events when more events arrive, and returns the iterator', async () => {
    const { body, state } = scriptedBody(['data: 1\n\ndata: 2\n\n', 'data: 3\n\n'], 'hang');
    const result = await readSse(body, { ...limits, maxEvents: 2 });
    expect(result.end).toEqual({ kind: 'max-events', limit: 2 });
    expect(datas(result.events)).toEqual(['1', '2']);
    expect(state.returned).toBe(true);
  });

  it('ends with eof, not max-events, when the stream holds exactly maxEvents events', async () => {
    const { body } = scriptedBody(['data: 1\n\ndata: 2\n\n']);
    expect((await readSse(body, { ...limits, maxEvents: 2 })).end).toEqual({ kind: 'eof' });
  });

  it('stops at max-bytes for a line that never ends, holding at most maxBytes', async () => {
    const { body, state } = scriptedBody(['data: ', ...Array<string>(100).fill('x'.repeat(1000))], 'hang');
    const result = await readSse(body, { ...limits, maxBytes: 10_000 });
    expect(result.end).toEqual({ kind: 'max-bytes', limit: 10_000 });
    expect(result.diagnostics.totalBytes).toBe(10_000);
    expect(result.diagnostics.trailingUndispatched).toHaveLength(10_000);
    expect(state.returned).toBe(true);
  });

  it('turns an iterator error into end.kind error with the message', async () => {
    const { body } = scriptedBody(['data: 1\n\n'], new Error('socket hang up'));
    const result = await readSse(body, limits);
    expect(result.end).toEqual({ kind: 'error', message: 'Error: socket hang up' });
    expect(datas(result.events)).toEqual(['1']);
  });

  it('stops on idle timeout with a pending next() and still calls return()', async () => {
    const { body, state } = scriptedBody(['data: 1\n\n'], 'hang');
    const result = await readSse(body, { ...limits, idleTimeoutMs: 50 });
    expect(result.end).toEqual({ kind: 'idle-timeout', afterMs: 50 });
    expect(state.returned).toBe(true);
  });

  it('stops when the signal aborts', async () => {
    const { body, state } = scriptedBody([], 'hang');
    const controller = new AbortController();
    const reading = readSse(body, { ...limits, signal: controller.signal });
    controller.abort(new Error('test over'));
    const result = await reading;
    expect(result.end.kind).toBe('error');
    expect(result.end).toMatchObject({ message: expect.stringContaining('aborted') });
    expect(state.returned).toBe(true);
  });

  it('does not keep events when keepEvents is false, but still reports them', async () => {
    const { body } = scriptedBody(['data: 1\n\ndata: 2\n\n']);
    const seen: number[] = [];
    const result = await readSse(body, { ...limits, keepEvents: false, onEvent: (e) => seen.push(e.index) });
    expect(result.events).toEqual([]);
    expect(seen).toEqual([0, 1]);
    expect(result.diagnostics.eventCount).toBe(2);
  });

  it('propagates an exception thrown by onEvent after releasing the body', async () => {
    const { body, state } = scriptedBody(['data: 1\n\n'], 'hang');
    const failing = readSse(body, {
      ...limits,
      onEvent: () => {
        throw new Error('assertion in callback');
      },
    });
    await expect(failing).rejects.toThrow('assertion in callback');
    expect(state.returned).toBe(true);
  });
});

// ---- readSse over loopback HTTP --------------------------------------------------------------

const chunkEvent = (content: string) =>
  `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content } }] })}\n\n`;

describe('readSse (loopback HTTP)', () => {
  let server: Server;
  let baseUrl: string;
  const agent = new Agent();
  /** Settles when the server side of the latest response closes, i.e. the client released the socket. */
  let lastResponseClosed: Promise<void> = Promise.resolve();
  /** Lets the /reset handler destroy the connection once the client has seen the first event. */
  let resetNow: () => void = () => {};

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/normal': (_req, res) => {
      for (const word of ['Hel', 'lo', ' wörld 😀']) res.write(chunkEvent(word));
      res.end('data: [DONE]\n\n');
    },
    '/hung': (_req, res) => {
      res.write(chunkEvent('only this'));
    },
    '/endless': (_req, res) => {
      const timer = setInterval(() => res.write(chunkEvent('more')), 2);
      res.on('close', () => clearInterval(timer));
    },
    '/trickle': (_req, res) => {
      const timer = setInterval(() => res.write(': keepalive\n'), 10);
      res.on('close', () => clearInterval(timer));
    },
    '/no-newline': (_req, res) => {
      res.write('data: ');
      const timer = setInterval(() => res.write('x'.repeat(4096)), 1);
      res.on('close', () => clearInterval(timer));
    },
    '/reset': (req, res) => {
      res.write(chunkEvent('before reset'));
      new Promise<void>((resolve) => (resetNow = resolve)).then(() => req.socket.destroy());
    },
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      lastResponseClosed = new Promise((resolve) => res.on('close', () => resolve()));
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const route = routes[req.url ?? ''];
      if (route) route(req, res);
      else res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await agent.close();
    // close() resolves only once every connection is gone, so a leaked socket fails this hook.
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    expect(server.listening).toBe(false);
  });

  async function stream(path: string) {
    const startedAt = performance.now();
    const response = await request(`${baseUrl}${path}`, { dispatcher: agent });
    return { body: response.body, headers: response.headers, startedAt, headersAt: performance.now() };
  }

  it('reads a normal chat stream to EOF', async () => {
    const { body, headers, startedAt, headersAt } = await stream('/normal');
    expect(headers['content-type']).toBe('text/event-stream');
    const result = await readSse(body, { ...limits, startedAt, headersAt });
    expect(result.end).toEqual({ kind: 'eof' });
    expect(result.events.map((e) => (e.data === '[DONE]' ? e.data : JSON.parse(e.data).choices[0].delta.content))).toEqual([
      'Hel',
      'lo',
      ' wörld 😀',
      '[DONE]',
    ]);
    expect(result.diagnostics).toMatchObject({ lineEndings: { lf: 8, crlf: 0, cr: 0 }, bom: false, invalidUtf8: false });
    expect(result.timings.headersMs).toBeTypeOf('number');
  });

  it('ends a hung stream with idle-timeout and releases the socket', async () => {
    const { body } = await stream('/hung');
    const result = await readSse(body, { ...limits, idleTimeoutMs: 200 });
    expect(result.end).toEqual({ kind: 'idle-timeout', afterMs: 200 });
    expect(result.events).toHaveLength(1);
    await lastResponseClosed;
  });

  it('ends an endless stream with max-events and releases the socket', async () => {
    const { body } = await stream('/endless');
    const result = await readSse(body, { ...limits, maxEvents: 5 });
    expect(result.end).toEqual({ kind: 'max-events', limit: 5 });
    expect(result.events).toHaveLength(5);
    await lastResponseClosed;
  });

  it('ends a stream that keeps sending but never an event with total-timeout', async () => {
    const { body } = await stream('/trickle');
    const result = await readSse(body, { ...limits, totalTimeoutMs: 150 });
    expect(result.end).toEqual({ kind: 'total-timeout', afterMs: 150 });
    expect(result.diagnostics.commentCount).toBeGreaterThan(0);
    await lastResponseClosed;
  });

  it('ends a stream that never sends a newline with max-bytes and releases the socket', async () => {
    const { body } = await stream('/no-newline');
    const result = await readSse(body, { ...limits, maxBytes: 64 * 1024 });
    expect(result.end).toEqual({ kind: 'max-bytes', limit: 64 * 1024 });
    expect(result.diagnostics.totalBytes).toBe(64 * 1024);
    expect(result.events).toEqual([]);
    await lastResponseClosed;
  });

  it('reports a connection destroyed mid-body as end.kind error', async () => {
    const { body } = await stream('/reset');
    const result = await readSse(body, { ...limits, onEvent: () => resetNow() });
    expect(result.end.kind).toBe('error');
    expect(result.end).toMatchObject({ message: expect.any(String) });
    expect(result.diagnostics.eventCount).toBe(1);
    await lastResponseClosed;
  });
});
