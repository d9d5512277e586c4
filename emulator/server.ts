/**
 * The reference emulator: a deterministic server for the contract, on node:http, bound to loopback.
 * One server answers all three profile styles at once:
 *   azure-openai     /openai/deployments/{deployment}/{operation}?api-version=2024-06-01   (api-key or Bearer)
 *   model-inference  /{operation}?api-version=2024-04-01-preview                            (Bearer)
 *   openai           /v1/{operation}                                                        (Bearer; model in the body)
 * This file is the HTTP layer (routing, credentials, api-version, body parsing, validation, rate limiting,
 * writing replies); emulator/routes.ts says what is served where, emulator/operations.ts maps each operation to its handler.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ProfileName } from '../src/model.ts';
import { errorReply } from './errors.ts';
import { FaultSet } from './faults.ts';
import { HANDLERS } from './operations.ts';
import { ROUTES, route, SERVED_PROFILES } from './routes.ts';
import { toStream, wantsStream } from './stream.ts';
import type { EmulatorReply, HandlerContext, UploadedFile } from './types.ts';
import { requestProblem } from './validation.ts';
import { type ReplyInfo, VariationSet } from './variations.ts';
import { fragments } from './variations/http.ts';

export const DEFAULT_DEPLOYMENTS = ['gpt-4o-mini', 'gpt-35-turbo-instruct', 'text-embedding-3-small', 'whisper', 'dall-e-3'];
export const DEFAULT_MAX_REQUEST_BYTES = 26 * 1024 * 1024;
/** Published files (image URLs) kept at once; older ones are dropped. */
const MAX_PUBLISHED = 256;

export interface RateLimit {
  /** Requests allowed per window; the next ones get 429 until the window ends. */
  requests: number;
  windowMs: number;
}

export interface EmulatorOptions {
  /** The credential the emulator accepts. */
  key: string;
  /** Accept every request, with or without a credential, as local inference servers often do. */
  noAuth?: boolean;
  /** Serve HTTPS with this certificate and key (PEM), instead of HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  host?: string;
  port?: number;
  faults?: Iterable<string>;
  /** Legal variations to switch on (emulator/variations.ts). */
  variations?: Iterable<string>;
  deployments?: string[];
  maxRequestBytes?: number;
  rateLimit?: RateLimit;
}

export interface RunningEmulator {
  url: string;
  port: number;
  faults: FaultSet;
  variations: VariationSet;
  close(): Promise<void>;
}

const FILES_PATH = '/emulator/files/';

/** What the variations need to know about a reply: who asked for what (the status is the reply's own). */
type ReplyOrigin = Omit<ReplyInfo, 'status'>;

export class Emulator {
  readonly faults: FaultSet;
  readonly variations: VariationSet;
  /** Replies whose bodies the variations already shaped (before a stream was made of them). */
  private readonly varied = new WeakSet<EmulatorReply>();
  private readonly deployments: Set<string>;
  private readonly maxRequestBytes: number;
  private readonly published = new Map<string, { bytes: Buffer; contentType: string }>();
  private window = { start: 0, count: 0 };
  baseUrl = 'http://127.0.0.1';

  constructor(private readonly opts: EmulatorOptions) {
    this.faults = new FaultSet(opts.faults);
    this.variations = new VariationSet(opts.variations);
    this.deployments = new Set(opts.deployments ?? DEFAULT_DEPLOYMENTS);
    this.maxRequestBytes = opts.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  }

  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (this.faults.has('reset-connection')) {
      req.socket.destroy();
      return;
    }
    const r = route(new URL(req.url ?? '/', 'http://emulator').pathname);
    const origin: ReplyOrigin = { profile: r?.profile ?? 'azure-openai', operation: r?.operation, request: {} };
    if (this.faults.has('server-error-html')) {
      return write(res, { status: 500, body: '<!DOCTYPE html><html><body><h1>500 Internal Server Error</h1></body></html>', contentType: 'text/html' }, this.faults, this.variations, origin);
    }
    let reply: EmulatorReply;
    try {
      reply = await this.answer(req, origin);
    } catch (err) {
      reply = { status: 500, body: { error: { code: 'InternalServerError', message: `emulator error: ${(err as Error).message}` } } };
    }
    write(res, this.vary(reply, origin), this.faults, this.variations, origin);
  };

  /** Applies the active variations to a reply's body, once. */
  private vary(reply: EmulatorReply, origin: ReplyOrigin): EmulatorReply {
    if (this.varied.has(reply) || reply.stream) return reply;
    this.varied.add(reply);
    const info = { ...origin, status: reply.status };
    if (typeof reply.body === 'string' && reply.status < 300) {
      const shaped = { ...reply, body: this.variations.text(reply.body, info) };
      this.varied.add(shaped);
      return shaped;
    }
    if (!Buffer.isBuffer(reply.body)) this.variations.body(reply.body, info);
    return reply;
  }

  private async answer(req: IncomingMessage, origin: ReplyOrigin): Promise<EmulatorReply> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (req.method === 'GET' && url.pathname.startsWith(FILES_PATH)) return this.servePublished(url.pathname.slice(FILES_PATH.length));
    const r = route(url.pathname);
    if (!r) return errorReply('azure-openai', { status: 404, code: '404', message: 'Resource not found' }, this.faults);
    const { profile } = r;
    const fail = (status: number, code: string, message: string, param?: string, type?: string) => errorReply(profile, { status, code, message, param, type }, this.faults);

    const limited = this.rateLimited(profile);
    if (limited) return limited;

    const apiVersionProblem = this.checkApiVersion(profile, url.searchParams.get('api-version'));
    if (apiVersionProblem) return apiVersionProblem;

    const authProblem = this.checkAuth(profile, req);
    if (authProblem) return authProblem;

    if (!r.operation) return fail(404, '404', 'Resource not found');
    if (req.method !== 'POST') return fail(405, 'MethodNotAllowed', `${req.method} is not allowed; use POST`);

    if (r.deployment !== undefined && !this.knows(r.deployment)) {
      return fail(404, 'DeploymentNotFound', 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.');
    }

    const handler = HANDLERS[r.operation];
    const read = await readBody(req, this.maxRequestBytes);
    if (read.tooLarge) return fail(413, 'RequestEntityTooLarge', `the request body exceeds ${this.maxRequestBytes} bytes`);
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const expectedType = handler.bodyKind === 'json' ? 'application/json' : 'multipart/form-data';
    if (type !== expectedType) return fail(415, 'UnsupportedMediaType', `Content-Type must be ${expectedType}, got "${type || 'none'}"`);

    const parsed = handler.bodyKind === 'json' ? parseJsonBody(read.body) : await parseMultipart(read.body, String(req.headers['content-type']));
    if ('problem' in parsed) return this.invalid(profile, parsed.problem);
    origin.request = parsed.body;

    const model = profile === 'openai' ? parsed.body.model : (r.deployment ?? String(req.headers['azureml-model-deployment'] ?? 'model-inference-default'));
    if (profile === 'openai') {
      if (typeof model !== 'string') return this.invalid(profile, 'you must provide a model parameter', 'model');
      if (!this.knows(model)) return fail(404, 'model_not_found', `The model \`${model}\` does not exist or you do not have access to it.`, 'model', 'invalid_request_error');
    }
    // Model Inference routes by the optional azureml-model-deployment header; a name the endpoint lacks cannot be routed.
    if (profile === 'model-inference' && req.headers['azureml-model-deployment'] !== undefined && !this.knows(String(model))) {
      return fail(404, 'DeploymentNotFound', `The deployment "${String(model)}" named by azureml-model-deployment does not exist on this endpoint.`);
    }

    const component = handler.bodyKind === 'json' ? handler.requestSchema?.(profile) : undefined;
    const problem = component ? this.validate(component, parsed.body, profile) : undefined;
    if (problem) return problem;

    const ctx: HandlerContext = {
      profile,
      operation: r.operation,
      model: String(model),
      body: parsed.body,
      files: parsed.files,
      headers: req.headers,
      query: url.searchParams,
      faults: this.faults,
      variations: this.variations,
      publish: (bytes, contentType) => this.publish(bytes, contentType),
      error: (status, code, message, param) => fail(status, code, message, param),
      invalid: (message, param) => this.invalid(profile, message, param),
    };
    // Faults' own alterations act where the handlers' `faults.has` branches act, on the answer as made: before the
    // variations reshape it and before a stream is cut from it, so the defect shows in every legal shape of the reply.
    const reply = this.vary(alterByFaults(await handler.handle(ctx), ctx), origin);
    if (wantsStream(parsed.body, this.faults) && ROUTES[r.operation].streams && reply.status === 200) return toStream(reply, ctx);
    return reply;
  }

  private knows(deployment: string): boolean {
    return this.faults.has('deployment-unknown-accepted') || this.deployments.has(deployment);
  }

  private rateLimited(profile: ProfileName): EmulatorReply | undefined {
    const limit = this.opts.rateLimit;
    if (!limit) return undefined;
    const now = Date.now();
    if (now - this.window.start >= limit.windowMs) this.window = { start: now, count: 0 };
    this.window.count++;
    if (this.window.count <= limit.requests) return undefined;
    const waitMs = Math.max(1, this.window.start + limit.windowMs - now);
    const reply = errorReply(profile, { status: 429, code: '429', message: `Requests to this deployment have exceeded the emulator's rate limit of ${limit.requests} per ${limit.windowMs} ms. Please retry after ${Math.ceil(waitMs / 1000)} second(s).` }, this.faults);
    return { ...reply, headers: { ...reply.headers, 'retry-after': String(Math.ceil(waitMs / 1000)), 'retry-after-ms': String(waitMs) } };
  }

  private checkApiVersion(profile: ProfileName, apiVersion: string | null): EmulatorReply | undefined {
    const expected = SERVED_PROFILES[profile].apiVersion;
    if (!expected) return undefined;
    if (apiVersion === null) {
      if (this.faults.has('api-version-ignored')) return undefined;
      // Azure answers a missing api-version with 404 Resource not found (observed behaviour).
      const status = this.faults.has('api-version-missing-400') ? 400 : 404;
      return errorReply(profile, { status, code: String(status), message: status === 404 ? 'Resource not found' : 'Missing required query parameter api-version' }, this.faults);
    }
    if (apiVersion !== expected && !this.faults.has('api-version-unknown-accepted')) {
      return errorReply(profile, { status: 400, code: 'BadRequest', message: `API version ${apiVersion} is not supported by this emulator (supported: ${expected})` }, this.faults);
    }
    return undefined;
  }

  private checkAuth(profile: ProfileName, req: IncomingMessage): EmulatorReply | undefined {
    if (this.opts.noAuth) return undefined;
    const apiKey = req.headers['api-key'];
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const presented = profile === 'azure-openai' ? (apiKey ?? bearer) : bearer;
    if (presented === undefined && this.faults.has('auth-missing-accepted')) return undefined;
    if (presented !== undefined && presented !== this.opts.key && this.faults.has('auth-wrong-accepted')) return undefined;
    if (presented === this.opts.key) return undefined;
    const status = this.faults.has('auth-status-403') ? 403 : 401;
    const message =
      presented === undefined
        ? 'Access denied due to missing subscription key. Make sure to include the key when making requests to an API.'
        : 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.';
    return errorReply(profile, { status, code: profile === 'openai' ? 'invalid_api_key' : String(status), message, type: profile === 'openai' ? 'invalid_request_error' : undefined }, this.faults);
  }

  private invalid(profile: ProfileName, message: string, param?: string): EmulatorReply {
    const status = this.faults.has('validation-500') ? 500 : profile === 'model-inference' ? 422 : this.faults.has('validation-422') ? 422 : 400;
    return errorReply(profile, { status, code: status === 400 ? 'BadRequest' : status === 422 ? 'invalid_parameter' : 'InternalServerError', message, param, type: 'invalid_request_error' }, this.faults);
  }

  /** Validates a JSON body against the operation's request component, as the contract defines it. */
  private validate(component: string, body: unknown, profile: ProfileName): EmulatorReply | undefined {
    const problem = requestProblem(component, body, profile, this.faults);
    return problem && this.invalid(profile, problem.message, problem.param);
  }

  private publish(bytes: Buffer, contentType: string): string {
    // Named by content, so the same request gets the same URL (the emulator stays deterministic).
    const id = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
    this.published.set(id, { bytes, contentType });
    if (this.published.size > MAX_PUBLISHED) this.published.delete(this.published.keys().next().value!);
    return `${this.baseUrl}${FILES_PATH}${id}`;
  }

  private servePublished(id: string): EmulatorReply {
    const file = this.published.get(id);
    if (!file) return { status: 404, body: { error: { code: '404', message: 'Resource not found' } } };
    return { status: 200, body: file.bytes, contentType: file.contentType };
  }
}

function parseJsonBody(raw: Buffer): { body: Record<string, unknown>; files: Record<string, UploadedFile> } | { problem: string } {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    return { problem: `the request body is not valid JSON: ${(err as Error).message}` };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problem: 'the request body must be a JSON object' };
  return { body: body as Record<string, unknown>, files: {} };
}

/** Multipart parsing by the platform's own Fetch implementation (Request.formData), not by hand. */
async function parseMultipart(raw: Buffer, contentType: string): Promise<{ body: Record<string, unknown>; files: Record<string, UploadedFile> } | { problem: string }> {
  let form: globalThis.FormData;
  try {
    form = await new Request('http://emulator/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(raw) }).formData();
  } catch (err) {
    return { problem: `the multipart body could not be parsed: ${(err as Error).message}` };
  }
  const body: Record<string, unknown> = {};
  const files: Record<string, UploadedFile> = {};
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') body[name] = value;
    else files[name] = { filename: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
  }
  return { body, files };
}

async function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return { body: Buffer.alloc(0), tooLarge: true };
    chunks.push(chunk);
  }
  return { body: Buffer.concat(chunks), tooLarge: false };
}

function write(res: ServerResponse, reply: EmulatorReply, faults: FaultSet, variations: VariationSet, origin: ReplyOrigin): void {
  const common = { 'apim-request-id': randomUUID(), 'x-request-id': randomUUID() };
  if (reply.stream) {
    // An empty contentType (a fault) sends no Content-Type header at all.
    const type = reply.contentType ?? 'text/event-stream; charset=utf-8';
    const headers = { ...(type ? { 'content-type': type } : {}), 'cache-control': 'no-cache', ...common, ...reply.headers };
    variations.headers(headers, 'stream', origin);
    res.writeHead(reply.status, headers);
    void pipeStream(res, reply.stream);
    return;
  }
  const isRaw = typeof reply.body === 'string' || Buffer.isBuffer(reply.body);
  const payload = isRaw ? (reply.body as string | Buffer) : variations.serialise(reply.body, origin);
  let contentType = reply.contentType ?? (isRaw ? 'text/plain; charset=utf-8' : 'application/json');
  if (!isRaw && faults.has('json-content-type-text')) contentType = 'text/plain; charset=utf-8';
  const headers: Record<string, string> = { 'content-type': contentType, ...common, ...reply.headers };
  variations.headers(headers, isRaw || faults.has('json-content-type-text') ? 'other' : 'json', origin);
  if (variations.chunked(origin)) {
    // Chunked transfer coding: no Content-Length, the body in small pieces.
    res.writeHead(reply.status, headers);
    void pipeStream(res, paced(fragments(Buffer.from(payload))));
    return;
  }
  res.writeHead(reply.status, { ...headers, 'content-length': String(Buffer.byteLength(payload)) });
  res.end(payload);
}

/** A JSON success body changed in place by the active faults that carry an `alter` (emulator/faults/types.ts). */
function alterByFaults(reply: EmulatorReply, ctx: HandlerContext): EmulatorReply {
  const body = reply.body;
  const json = typeof body === 'object' && body !== null && !Array.isArray(body) && !Buffer.isBuffer(body);
  if (json && !reply.stream && reply.status >= 200 && reply.status < 300) ctx.faults.alter(body as Record<string, unknown>, { operation: ctx.operation, profile: ctx.profile, request: ctx.body });
  return reply;
}

/** Yields pieces one event-loop turn apart, so they leave as separate writes. */
async function* paced(pieces: Iterable<Buffer>): AsyncGenerator<Buffer> {
  for (const piece of pieces) {
    yield piece;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Writes a streamed body, honouring backpressure, and stops when the client goes away. */
async function pipeStream(res: ServerResponse, stream: AsyncIterable<string | Buffer>): Promise<void> {
  try {
    for await (const piece of stream) {
      if (res.destroyed) return;
      if (!res.write(piece)) await drainedOrClosed(res);
    }
    res.end();
  } catch {
    res.destroy();
  }
}

/** Waits for the response to drain or close, removing both listeners after (a long stream waits many times). */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

export async function startEmulator(opts: EmulatorOptions): Promise<RunningEmulator> {
  const emulator = new Emulator(opts);
  const listener = (req: IncomingMessage, res: ServerResponse) => void emulator.handle(req, res);
  const server: Server = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, listener) : createServer(listener);
  // Idle keep-alive sockets outlive the client's own idle timeout (undici: 4 s), so the client always
  // closes first and never reuses a socket the server is closing.
  server.keepAliveTimeout = 30_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  emulator.baseUrl = `${opts.tls ? 'https' : 'http'}://${host}:${port}`;
  return {
    url: emulator.baseUrl,
    port,
    faults: emulator.faults,
    variations: emulator.variations,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
