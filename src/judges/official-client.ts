/**
 * The official client as a second judge (--sdk-judge): a 200 response a case recorded is handed to the official
 * `openai` package, as the client of the profile would receive it — AzureOpenAI for azure-openai, OpenAI for
 * openai, and OpenAI with the api-version as a query for model-inference (Microsoft documents the openai package
 * for Model Inference endpoints; no client of its own parses this contract's /completions) — through a `fetch`
 * that replays the recorded status, headers and body. Nothing goes on the network. A response the client cannot
 * consume (it throws, hands the caller text where the API returns an object, or reads no chunk from a stream) is a
 * finding of OFFICIAL_CLIENT_REQUIREMENT, with the client's own error as the actual.
 */
import { AzureOpenAI, OpenAI } from 'openai';
import type { CaseSpec, CheckResult, Exchange, Level, OperationId, RecordedResponse } from '../model.ts';
import { PROFILE_INFO } from '../profiles.ts';
import type { Target } from '../target.ts';
import { OFFICIAL_CLIENT_CHECK, OFFICIAL_CLIENT_REQUIREMENT } from './index.ts';


/** A host name no resolver answers (RFC 6761): should a request ever escape the replaying fetch, it goes nowhere. */
const NOWHERE = 'https://official-client.invalid';
const SILENT = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

type Outcome = { ok: boolean | 'not-evaluated'; actual: unknown; message: string };

export async function officialClientCheck(spec: CaseSpec, target: Pick<Target, 'profile' | 'deployments'>, exchange: Exchange, requestBody: unknown, level: Level): Promise<CheckResult | undefined> {
  const response = exchange.response;
  if (!response || response.status !== 200 || exchange.transportError) return undefined;
  const client = clientFor(target.profile, exchange, replay(response));
  const outcome = await consume(client, spec.operation, requestBody, response).catch((err: unknown): Outcome => ({ ok: false, actual: describeError(err), message: `the official openai client (${clientName(target.profile)}) cannot consume this response: ${describeError(err)}` }));
  return {
    id: `${spec.id}/${OFFICIAL_CLIENT_CHECK}`,
    check: OFFICIAL_CLIENT_CHECK,
    requirement: OFFICIAL_CLIENT_REQUIREMENT,
    level,
    status: outcome.ok === 'not-evaluated' ? 'skipped' : outcome.ok ? 'pass' : level === 'MUST' ? 'fail' : 'warning',
    expected: `the official openai client (${clientName(target.profile)}) returns the parsed response`,
    actual: outcome.actual,
    message: outcome.message,
  };
}

function clientName(profile: Target['profile']): string {
  return profile === 'azure-openai' ? 'AzureOpenAI' : 'OpenAI';
}

/** A fetch that answers every request with the recorded response, and never opens a connection. */
function replay(response: RecordedResponse): typeof fetch {
  return async () => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      // Framing headers describe the bytes on the wire, not the replayed text.
      if (!['content-length', 'transfer-encoding', 'content-encoding', 'connection'].includes(name)) headers.append(name, value);
    }
    return new Response(response.bodyText, { status: response.status, headers });
  };
}

function clientFor(profile: Target['profile'], exchange: Exchange, fetch: typeof globalThis.fetch): OpenAI {
  // Every setting is given, so the constructors read none from the environment (OPENAI_BASE_URL, keys, versions).
  const common = { apiKey: 'official-client-judge', maxRetries: 0, timeout: 60_000, fetch, logger: SILENT, logLevel: 'off' as const, organization: null, project: null };
  const apiVersion = new URL(exchange.request.url).searchParams.get('api-version') ?? PROFILE_INFO[profile].apiVersion ?? '';
  switch (profile) {
    case 'azure-openai':
      return new AzureOpenAI({ ...common, baseURL: `${NOWHERE}/openai`, apiVersion, deployment: deploymentOf(exchange.request.url) });
    case 'openai':
      return new OpenAI({ ...common, baseURL: `${NOWHERE}/v1` });
    case 'model-inference':
      return new OpenAI({ ...common, baseURL: NOWHERE, defaultQuery: { 'api-version': apiVersion } });
  }
}

function deploymentOf(url: string): string {
  return decodeURIComponent(/\/openai\/deployments\/([^/]+)\//.exec(new URL(url).pathname)?.[1] ?? 'deployment');
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Calls the client method of the operation with the case's request and reads everything it gives back. */
async function consume(client: OpenAI, operation: OperationId, requestBody: unknown, response: RecordedResponse): Promise<Outcome> {
  if (response.truncated || response.incomplete) return { ok: 'not-evaluated', actual: null, message: 'not evaluated: the recorded body is not whole' };
  if (!isObject(requestBody)) return { ok: 'not-evaluated', actual: null, message: 'not evaluated: the case sends no JSON or form body the official client could have sent' };
  const body = requestBody as Record<string, unknown> & { model: string };
  if (body.stream === true) return readStream(await streamOf(client, operation, body));
  const result: unknown = await call(client, operation, body);
  const textFormat = (operation === 'audio.transcriptions' || operation === 'audio.translations') && ['text', 'srt', 'vtt'].includes(String(body.response_format));
  if (textFormat) {
    return typeof result === 'string' ? { ok: true, actual: `text (${result.length} characters)`, message: 'the official client returned the text' } : { ok: false, actual: typeof result, message: `the official client returned ${typeof result}, not the text response_format ${String(body.response_format)} asks for` };
  }
  if (isObject(result)) return { ok: true, actual: `an object with ${Object.keys(result).join(', ')}`, message: 'the official client parsed the response' };
  const contentType = response.headers['content-type'] ?? 'none';
  return {
    ok: false,
    actual: `${typeof result === 'string' ? `text: ${JSON.stringify(result.slice(0, 80))}` : JSON.stringify(result)}`,
    message: `the official client handed the caller ${typeof result === 'string' ? 'the body as text' : JSON.stringify(result)}, not the response object: it parses JSON only when the Content-Type says application/json (got ${contentType})`,
  };
}

function call(client: OpenAI, operation: OperationId, body: Record<string, unknown> & { model: string }): Promise<unknown> {
  switch (operation) {
    case 'chat.completions':
      return client.chat.completions.create(body as never);
    case 'completions':
      return client.completions.create(body as never);
    case 'embeddings':
      // Without encoding_format the client asks for base64 and decodes it; the case asked for the documented default, float.
      return client.embeddings.create({ ...body, encoding_format: (body.encoding_format as 'float' | 'base64' | undefined) ?? 'float' } as never);
    case 'images.generations':
      return client.images.generate(body as never);
    case 'audio.transcriptions':
      return client.audio.transcriptions.create({ ...body, file: new File([], 'recorded') } as never);
    case 'audio.translations':
      return client.audio.translations.create({ ...body, file: new File([], 'recorded') } as never);
  }
}

async function streamOf(client: OpenAI, operation: OperationId, body: Record<string, unknown> & { model: string }): Promise<AsyncIterable<unknown>> {
  switch (operation) {
    case 'chat.completions':
      return client.chat.completions.create({ ...body, stream: true } as never) as unknown as AsyncIterable<unknown>;
    case 'completions':
      return client.completions.create({ ...body, stream: true } as never) as unknown as AsyncIterable<unknown>;
    default:
      return (await call(client, operation, body)) as AsyncIterable<unknown>;
  }
}

async function readStream(stream: AsyncIterable<unknown>): Promise<Outcome> {
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    if (!isObject(chunk)) return { ok: false, actual: JSON.stringify(chunk), message: `stream chunk ${chunks} is ${JSON.stringify(chunk)}, not the chunk object the official client hands the caller` };
  }
  if (chunks === 0) return { ok: false, actual: 'no chunk', message: 'the official client read no chunk from the stream' };
  return { ok: true, actual: `${chunks} chunk(s)`, message: `the official client read ${chunks} chunk(s)` };
}

/** The client's error, as a user of the client would see it. */
function describeError(err: unknown): string {
  const e = err as Error & { status?: number };
  return `${e.name ?? 'Error'}: ${(e.message ?? String(err)).split('\n')[0]}`;
}
