/**
 * Sends one request with undici and records the exchange. Never throws for target misbehaviour:
 * refused connections, resets, timeouts and oversized bodies become `transportError` or `truncated`.
 * A `text/event-stream` response is read incrementally by the SSE reader, bounded in time, events and bytes.
 */
import { request, type FormData } from 'undici';
import type { Exchange, RecordedResponse, StreamLimits } from '../model.ts';
import { readSse } from '../sse/reader.ts';

export interface SendOptions {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer | FormData;
  /** Time allowed for the headers and, for a non-stream response, the whole body. */
  timeoutMs: number;
  /** Bytes of body kept; a body larger than this is cut and marked truncated. */
  maxBodyBytes: number;
  stream: StreamLimits;
  /**
   * The request asked for a stream: the body is read as an event stream under the stream limits whatever
   * the Content-Type says (a live stream mislabelled text/plain is still a stream, not a hung body).
   */
  readAsStream?: boolean;
}

export interface RawExchange {
  response?: Omit<RecordedResponse, 'json' | 'jsonError'>;
  /** Transport failure: nothing arrived (no `response`), or the body broke off (`response.incomplete` says how). */
  transportError?: string;
  /** The connection was reset before any response header arrived. */
  resetBeforeHeaders?: boolean;
  timings: Exchange['timings'];
}

export async function send(opts: SendOptions): Promise<RawExchange> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(new DOMException('deadline', 'TimeoutError')), opts.timeoutMs);
  let headersMs: number | undefined;
  let head: { status: number; headers: Record<string, string> } | undefined;
  const capture = new ByteCapture(opts.maxBodyBytes);
  const recorded = (incomplete?: string): RawExchange['response'] =>
    head && { ...head, bodyText: capture.text(), bodyBytes: capture.total, truncated: capture.truncated, invalidUtf8: capture.invalidUtf8(), ...(incomplete ? { incomplete } : {}) };
  try {
    const res = await request(opts.url, {
      method: opts.method as 'POST',
      headers: opts.headers,
      body: opts.body,
      signal: controller.signal,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
    });
    headersMs = performance.now() - t0;
    head = { status: res.statusCode, headers: flattenHeaders(res.headers) };
    let sse: RecordedResponse['sse'];
    const labelledSse = mediaTypeOf(head.headers['content-type']) === 'text/event-stream';
    if (opts.readAsStream || labelledSse) {
      // A stream has its own limits (idle gap, total time, events, bytes) instead of the request deadline.
      clearTimeout(deadline);
      const result = await readSse(capture.tap(res.body, { passThrough: true }), { ...opts.stream, maxBytes: opts.maxBodyBytes, startedAt: t0, headersAt: t0 + headersMs });
      // A body that is no event stream at all (a JSON error answering a stream request) is not recorded as one.
      if (labelledSse || result.events.length > 0) sse = { events: result.events.map(({ rawLines: _r, ...e }) => e), diagnostics: result.diagnostics, timings: result.timings, end: result.end };
    } else {
      for await (const chunk of capture.tap(res.body)) void chunk;
      if (capture.truncated) res.body.destroy();
    }
    return {
      response: { ...recorded()!, ...(sse ? { sse } : {}) },
      timings: { startedAt, headersMs, totalMs: performance.now() - t0 },
    };
  } catch (err) {
    const e = err as { code?: string; cause?: { code?: string } };
    const code = e.code ?? e.cause?.code;
    const why = describeTransportError(err, opts.timeoutMs, headersMs !== undefined);
    // Whatever arrived before the failure is evidence: status, headers and the partial body are kept.
    return {
      response: recorded(why),
      transportError: why,
      resetBeforeHeaders: headersMs === undefined && (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'),
      timings: { startedAt, headersMs, totalMs: performance.now() - t0 },
    };
  } finally {
    clearTimeout(deadline);
  }
}

/**
 * Keeps the first `limit` bytes of a body and counts the rest. Past the limit it stops the iteration, unless
 * `passThrough` (an SSE body, whose reader enforces its own byte limit and must see it exceeded to say so).
 */
class ByteCapture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  total = 0;
  truncated = false;

  constructor(private readonly limit: number) {}

  async *tap(body: AsyncIterable<Buffer>, { passThrough = false } = {}): AsyncGenerator<Buffer> {
    for await (const chunk of body) {
      this.total += chunk.length;
      if (this.kept < this.limit) {
        const part = chunk.subarray(0, this.limit - this.kept);
        this.chunks.push(part);
        this.kept += part.length;
      }
      if (this.total > this.limit && passThrough) {
        this.truncated = true;
      } else if (this.total > this.limit) {
        this.truncated = true;
        yield chunk.subarray(0, Math.max(0, chunk.length - (this.total - this.limit)));
        return;
      }
      yield chunk;
    }
  }

  text(): string {
    return new TextDecoder('utf-8').decode(Buffer.concat(this.chunks));
  }

  /** True when the kept bytes are not valid UTF-8 (a cut at the size limit is not held against the body). */
  invalidUtf8(): boolean {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(this.chunks), { stream: this.truncated });
      return false;
    } catch {
      return true;
    }
  }
}

export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function describeTransportError(err: unknown, timeoutMs: number, gotHeaders: boolean): string {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? e.cause?.code;
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return gotHeaders ? `the response body did not complete within ${timeoutMs} ms` : `no response headers within ${timeoutMs} ms`;
  }
  if (code === 'ECONNREFUSED') return `connection refused (${e.cause?.message ?? e.message})`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `connection reset by the target ${gotHeaders ? 'in the middle of the body' : 'before the response headers'}`;
  return `${code ? `${code}: ` : ''}${e.message ?? String(err)}`;
}
