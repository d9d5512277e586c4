/** Legal variations of the HTTP envelope: media-type parameters, transfer coding, connection handling, extra headers. */
import { SERVED_OPERATIONS } from '../routes.ts';
import type { Variation } from './types.ts';

const JSON_200 = { seed: '003', quote: 'application/json | CreateChatCompletionResponse |' } as const;
const JSON_ERROR = { seed: '003', quote: 'application/json | errorResponse |' } as const;

const LARGE_PIECE = 16 * 1024;

/**
 * Where a body is cut: after each of its first three bytes, inside its first multi-byte UTF-8 character, before
 * its last byte (between the CR and LF of a final CRLF), and every 16 KiB: the boundaries a reader gets wrong.
 */
function cuts(bytes: Buffer): number[] {
  const at = new Set([1, 2, 3, bytes.length - 1]);
  const multiByte = bytes.findIndex((b) => b >= 0xc0);
  if (multiByte >= 0) at.add(multiByte + 1);
  for (let k = LARGE_PIECE; k < bytes.length; k += LARGE_PIECE) at.add(k);
  return [...at].filter((k) => k > 0 && k < bytes.length).sort((a, b) => a - b);
}

export function* fragments(bytes: Buffer): Generator<Buffer> {
  let from = 0;
  for (const to of [...cuts(bytes), bytes.length]) {
    yield bytes.subarray(from, to);
    from = to;
  }
}

async function* fragmented(frames: AsyncIterable<string | Buffer>): AsyncGenerator<Buffer> {
  for await (const frame of frames) {
    for (const piece of fragments(Buffer.isBuffer(frame) ? frame : Buffer.from(frame, 'utf8'))) {
      yield piece;
      // One event-loop turn apart, so the pieces leave as separate writes.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

export const VARIATIONS: Variation[] = [
  {
    id: 'media-type-parameters',
    area: 'http',
    operations: SERVED_OPERATIONS,
    does: 'JSON bodies say `application/json; charset=UTF-8`, event streams `text/event-stream` with no parameter, text bodies `text/plain` with no charset',
    allowedBy: [JSON_200, JSON_ERROR, { seed: '003', quote: 'text/plain | string |' }],
    because: 'RFC 9110 §8.3: a media type may carry parameters, and the charset value is case-insensitive; UTF-8 is JSON\'s only encoding (RFC 8259 §8.1)',
    headers(headers, kind) {
      if (kind === 'json') headers['content-type'] = 'application/json; charset=UTF-8';
      if (kind === 'stream') headers['content-type'] = 'text/event-stream';
      if (kind === 'other' && /^text\/plain\b/i.test(headers['content-type'] ?? '')) headers['content-type'] = 'text/plain';
    },
  },
  {
    id: 'chunked-fragments',
    area: 'http',
    operations: SERVED_OPERATIONS,
    does: 'bodies are sent with chunked transfer coding (no Content-Length), and bodies and stream events in pieces that split lines, CR LF pairs and UTF-8 characters',
    allowedBy: [JSON_200, { seed: '003', quote: 'los tokens se enviarán como eventos enviados por el servidor solo de datos a medida que estén disponibles' }],
    because: 'RFC 9112 §7.1: the chunked transfer coding may frame any response body; chunk boundaries carry no meaning',
    chunked: true,
    frames: fragmented,
  },
  {
    id: 'json-pretty-printed',
    area: 'http',
    operations: SERVED_OPERATIONS,
    does: 'JSON bodies are pretty-printed: indented, one member per line, with a trailing newline',
    allowedBy: [JSON_200, JSON_ERROR],
    because: 'RFC 8259 §2: insignificant whitespace is allowed before or after any structural character',
    jsonIndent: 2,
  },
  {
    id: 'connection-close',
    area: 'http',
    operations: SERVED_OPERATIONS,
    does: 'every response says `Connection: close` and the server closes the connection after it (no keep-alive)',
    allowedBy: [JSON_200, JSON_ERROR],
    because: 'RFC 9112 §9.6: a server may close any connection after a response, announcing it with Connection: close',
    headers(headers) {
      headers.connection = 'close';
    },
  },
  {
    id: 'extra-headers',
    area: 'http',
    operations: SERVED_OPERATIONS,
    does: 'responses carry headers the documents do not name (region, processing time, rate-limit counters, a model version) and Azure\'s x-ms-* request ids',
    allowedBy: [JSON_200, JSON_ERROR],
    because: 'RFC 9110 §5.1: recipients ignore header fields they do not recognise; AZURE-BEHAVIOUR.md: apim-request-id is declared on every response and real services add more',
    headers(headers) {
      Object.assign(headers, {
        'x-ms-region': 'Sweden Central',
        'x-ms-client-request-id': '00000000-0000-0000-0000-000000000000',
        'openai-processing-ms': '42.1',
        'x-ratelimit-remaining-requests': '99',
        'x-ratelimit-remaining-tokens': '99000',
        'azureml-model-session': 'd089-20240610123456',
        'strict-transport-security': 'max-age=31536000; includeSubDomains; preload',
      });
    },
  },
];
