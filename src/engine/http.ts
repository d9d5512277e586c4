/**
 * Sends one request with undici and records the exchange. Never throws for target misbehaviour:
 * refused connections, resets, timeouts and oversized bodies become a classified `failure` or `truncated`,
 * and whatever arrived before a failure (status, headers, part of the body) is kept as evidence.
 * A stream (a `text/event-stream` answer, or any answer to a request that asked to stream) is read
 * incrementally by the SSE reader, bounded in time, events and bytes.
 */
import diagnostics from 'node:diagnostics_channel';
import { type Dispatcher, type FormData, request } from 'undici';
import type { Exchange, RecordedResponse, RecordedStream, StreamLimits } from '../model.ts';
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
  /** Aborts the request (the run was interrupted). */
  signal?: AbortSignal;
  /** undici dispatcher (default: the global one); a probe uses its own so it never shares a pooled connection. */
  dispatcher?: Dispatcher;
  /** Only the status and headers matter (a probe): the body is discarded unread. */
  headersOnly?: boolean;
}

/** How a request failed at the transport level: what the engine and the target-health monitor reason about. */
export type FailureKind = 'no-headers' | 'body-stalled' | 'reset-before-headers' | 'reset-mid-body' | 'refused' | 'dns' | 'tls' | 'interrupted' | 'other';

export interface TransportFailure {
  kind: FailureKind;
  message: string;
  /** The failed attempt ran on a keep-alive connection that had already carried another request. */
  reusedConnection?: boolean;
}

export interface RawExchange {
  response?: Omit<RecordedResponse, 'json' | 'jsonError'>;
  /** Transport failure: nothing arrived (no `response`), or the body broke off (`response.incomplete` says how). */
  failure?: TransportFailure;
  timings: Exchange['timings'];
}

/** Requests sent per connection, by its local address: a reset on a connection that carried one before is the keep-alive race. */
const requestsPerConnection = new Map<string, number>();
const connectionKey = (s: { localAddress?: string; localPort?: number }) => `${s.localAddress}:${s.localPort}`;
diagnostics.subscribe('undici:client:connected', (m) => void requestsPerConnection.set(connectionKey((m as { socket: { localAddress?: string; localPort?: number } }).socket), 0));
diagnostics.subscribe('undici:client:sendHeaders', (m) => {
  const key = connectionKey((m as { socket: { localAddress?: string; localPort?: number } }).socket);
  requestsPerConnection.set(key, (requestsPerConnection.get(key) ?? 0) + 1);
  // Bounded: ports are reused, and only the latest connection on a port matters.
  if (requestsPerConnection.size > 4096) requestsPerConnection.delete(requestsPerConnection.keys().next().value!);
});

export async function send(opts: SendOptions): Promise<RawExchange> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(new DOMException('deadline', 'TimeoutError')), opts.timeoutMs);
  const interrupt = () => controller.abort(new DOMException('interrupted', 'AbortError'));
  opts.signal?.addEventListener('abort', interrupt, { once: true });
  let headersMs: number | undefined;
  let head: { status: number; headers: Record<string, string> } | undefined;
  const capture = new ByteCapture(opts.maxBodyBytes);
  const recorded = (incomplete?: string): RawExchange['response'] =>
    head && { ...head, bodyText: capture.text(), bodyBytes: capture.total, truncated: capture.truncated, invalidUtf8: capture.invalidUtf8(), ...(incomplete ? { incomplete } : {}) };
  try {
    if (opts.signal?.aborted) throw new DOMException('interrupted', 'AbortError');
    const res = await request(opts.url, {
      method: opts.method as 'POST',
      headers: opts.headers,
      body: opts.body,
      signal: controller.signal,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    });
    headersMs = performance.now() - t0;
    head = { status: res.statusCode, headers: flattenHeaders(res.headers) };
    if (opts.headersOnly) {
      res.body.on('error', () => undefined);
      res.body.destroy();
      return { response: recorded()!, timings: { startedAt, headersMs, totalMs: performance.now() - t0 } };
    }
    let sse: RecordedResponse['sse'];
    const labelledSse = mediaTypeOf(head.headers['content-type']) === 'text/event-stream';
    if (opts.readAsStream || labelledSse) {
      // A stream has its own limits (idle gap, total time, events, bytes) instead of the request deadline.
      clearTimeout(deadline);
      const result = await readSse(capture.tap(res.body, { passThrough: true }), { ...opts.stream, maxBytes: opts.maxBodyBytes, startedAt: t0, headersAt: t0 + headersMs, signal: opts.signal });
      // A body that is no event stream at all (a JSON error answering a stream request) is not recorded as one.
      if (labelledSse || result.events.length > 0) sse = { events: result.events, diagnostics: result.diagnostics, timings: result.timings, end: result.end };
      if (opts.signal?.aborted) throw new DOMException('interrupted', 'AbortError');
      if (!labelledSse && !sse && result.end.kind !== 'eof') {
        // Not an event stream, and it never ended: a body that stalled, under the stream's limits.
        const failure: TransportFailure = { kind: 'body-stalled', message: `the response body did not end (${describeSseEnd(result.end)})` };
        return { response: recorded(failure.message), failure, timings: { startedAt, headersMs, totalMs: performance.now() - t0 } };
      }
    } else {
      for await (const chunk of capture.tap(res.body)) void chunk;
      if (capture.truncated) res.body.destroy();
    }
    return {
      response: { ...recorded()!, ...(sse ? { sse } : {}) },
      timings: { startedAt, headersMs, totalMs: performance.now() - t0 },
    };
  } catch (err) {
    const failure = classify(err, opts.timeoutMs, headersMs !== undefined, opts.signal?.aborted === true);
    // Whatever arrived before the failure is evidence: status, headers and the partial body are kept.
    return { response: recorded(failure.message), failure, timings: { startedAt, headersMs, totalMs: performance.now() - t0 } };
  } finally {
    clearTimeout(deadline);
    opts.signal?.removeEventListener('abort', interrupt);
  }
}

function describeSseEnd(end: RecordedStream['end']): string {
  switch (end.kind) {
    case 'idle-timeout':
      return `nothing arrived for ${end.afterMs} ms`;
    case 'total-timeout':
      return `still running after ${end.afterMs} ms`;
    case 'max-bytes':
      return `more than ${end.limit} bytes`;
    case 'max-events':
      return `more than ${end.limit} events`;
    case 'error':
      return end.message;
    case 'eof':
      return 'closed';
  }
}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|EPROTO$|HOSTNAME_MISMATCH)/;

function classify(err: unknown, timeoutMs: number, gotHeaders: boolean, interrupted: boolean): TransportFailure {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string }; socket?: { localAddress?: string; localPort?: number } };
  const code = e.code ?? e.cause?.code ?? '';
  const detail = e.cause?.message ?? e.message ?? String(err);
  if (interrupted) return { kind: 'interrupted', message: 'the run was interrupted before the response was complete' };
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return gotHeaders ? { kind: 'body-stalled', message: `the response body did not complete within ${timeoutMs} ms` } : { kind: 'no-headers', message: `no response headers within ${timeoutMs} ms` };
  }
  if (code === 'ECONNREFUSED') return { kind: 'refused', message: `connection refused (${detail})` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return { kind: 'dns', message: `the target's host name does not resolve (${code}: ${detail})` };
  if (TLS_CODES.test(code)) return { kind: 'tls', message: `TLS failure: ${code}: ${detail}` };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    const reusedConnection = !gotHeaders && e.socket !== undefined && (requestsPerConnection.get(connectionKey(e.socket)) ?? 0) > 1;
    return gotHeaders
      ? { kind: 'reset-mid-body', message: 'connection reset by the target in the middle of the body' }
      : { kind: 'reset-before-headers', message: 'connection reset by the target before the response headers', ...(reusedConnection ? { reusedConnection } : {}) };
  }
  return { kind: 'other', message: `${code ? `${code}: ` : ''}${detail}` };
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
