import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse } from '../../src/sse/reader.ts';
import { bytesOf, datas } from './parse.ts';


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
      // The first comment goes with the headers: the reader has one before its total limit, however slow the machine.
      res.write(': keepalive\n');
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
