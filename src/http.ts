/**
 * Sends one request with undici and records the exchange. Never throws for target misbehaviour:
 * refused connections, resets, timeouts and oversized bodies become `transportError` or `truncated`.
 */
import { request } from 'undici';
import type { Exchange, RecordedResponse } from './model.ts';

export interface SendOptions {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Time allowed for the whole exchange (headers and body). */
  timeoutMs: number;
  /** Bytes of body kept; the rest is read and counted but dropped, up to `discardLimitBytes`. */
  maxBodyBytes: number;
}

export interface RawExchange {
  response?: Omit<RecordedResponse, 'json' | 'jsonError'> & { raw: Buffer };
  transportError?: string;
  timings: Exchange['timings'];
}

export async function send(opts: SendOptions): Promise<RawExchange> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let headersMs: number | undefined;
  try {
    const res = await request(opts.url, {
      method: opts.method as 'POST',
      headers: opts.headers,
      body: opts.body,
      signal,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
    });
    headersMs = performance.now() - t0;
    const chunks: Buffer[] = [];
    let kept = 0;
    let total = 0;
    let truncated = false;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (kept < opts.maxBodyBytes) {
        const part = chunk.subarray(0, opts.maxBodyBytes - kept);
        chunks.push(part);
        kept += part.length;
      }
      if (total > opts.maxBodyBytes) {
        truncated = true;
        // Stop reading: a huge or endless body must not hold the run.
        res.body.destroy();
        break;
      }
    }
    const raw = Buffer.concat(chunks);
    return {
      response: {
        status: res.statusCode,
        headers: flattenHeaders(res.headers),
        bodyText: new TextDecoder('utf-8').decode(raw),
        bodyBytes: total,
        truncated,
        raw,
      },
      timings: { startedAt, headersMs, totalMs: performance.now() - t0 },
    };
  } catch (err) {
    return { transportError: describeTransportError(err, opts.timeoutMs, headersMs !== undefined), timings: { startedAt, headersMs, totalMs: performance.now() - t0 } };
  }
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
