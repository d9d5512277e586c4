/**
 * The one engine: for a case and a target, build the request, send it, record the exchange and
 * run the case's checks. Knows nothing of vitest; suites and tests call `runCase`.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FormData } from 'undici';
import { CASES_DIR, FIXTURES_DIR } from './cases/load.ts';
import { CHECKS, TRANSPORT_CHECK, TRANSPORT_REQUIREMENT, type CheckOutcome } from './checks/index.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RawExchange, send } from './http.ts';
import { DEFAULT_RETRY_POLICY, type RequestBudget, retryWait, type RetryPolicy } from './retry.ts';
import type { CaseResult, CaseSpec, CheckResult, Exchange, Level, MultipartSpec, RecordedRequest, RecordedResponse, Requirement, Status } from './model.ts';
import { authHeaders, CAPABILITY_OF, operationUrl, PROFILE_INFO, resolveApiVersion } from './profiles.ts';
import { Redactor } from './redact.ts';
import { SchemaRegistry } from './schemas/registry.ts';
import type { Target } from './target.ts';

export const USER_AGENT = 'aoai-conformance/0.1';

export interface RunContext {
  target: Target;
  /** The credential, read from `target.apiKeyEnv` by the caller. */
  apiKey: string;
  requirements: Map<string, Requirement>;
  schemas?: SchemaRegistry;
  redactor?: Redactor;
  /** Runs of a `repeat: true` case (default 1). */
  repeat?: number;
  /** Shared by every case of a run; a case that finds it spent is skipped. */
  budget?: RequestBudget;
  retry?: RetryPolicy;
}

/** Why a case does not apply to this target, or undefined when it does. */
export function notApplicable(spec: CaseSpec, target: Target): string | undefined {
  if (!spec.profiles.includes(target.profile)) return `applies to ${spec.profiles.join(', ')}, not ${target.profile}`;
  const capability = CAPABILITY_OF[spec.operation];
  if (!target.deployments[capability]) return `the target declares no ${capability} deployment`;
  const off = spec.needs.filter((f) => target.disabledFeatures.includes(f));
  if (off.length) return `the target switches off ${off.join(', ')}`;
  return undefined;
}

export async function runCase(spec: CaseSpec, ctx: RunContext): Promise<CaseResult> {
  const started = performance.now();
  const base = {
    id: spec.id,
    title: spec.title,
    file: spec.file,
    operation: spec.operation,
    profile: ctx.target.profile,
    requirement: spec.requirement,
    requirements: [...new Set([spec.requirement, ...spec.expect.map((e) => e.requirement)])],
    level: spec.level,
    seed: spec.seed,
  };
  const skipReason = notApplicable(spec, ctx.target) ?? (ctx.budget?.exhausted ? 'the run\'s request budget (--max-requests) is spent' : undefined);
  if (skipReason) return { ...base, status: 'skipped', skipReason, checks: [], durationMs: 0 };

  const redactor = (ctx.redactor ?? new Redactor([ctx.apiKey])).withSecretsIn(spec.request.body, spec.request.multipart?.fields, spec.request.headers);
  const runs = spec.repeat ? Math.max(1, ctx.repeat ?? 1) : 1;
  let shown: { exchange: Exchange; checks: CheckResult[]; status: Status } | undefined;
  let passed = 0;
  for (let i = 0; i < runs; i++) {
    const { exchange, requestBody } = await perform(spec, ctx);
    const checks = await judge(spec, ctx, exchange, requestBody);
    const status = aggregate(checks.map((c) => c.status));
    if (status === 'pass' || status === 'warning') passed++;
    // The report shows the worst run: a case that failed once must show that failure.
    if (!shown || STATUS_RANK[status] < STATUS_RANK[shown.status]) shown = { exchange, checks, status };
  }
  return {
    ...base,
    status: shown!.status,
    checks: redactor.value(shown!.checks),
    exchange: redactExchange(shown!.exchange, redactor),
    ...(spec.repeat ? { repeat: { runs, passed } } : {}),
    durationMs: performance.now() - started,
  };
}

const STATUS_RANK: Record<Status, number> = { fail: 0, error: 1, warning: 2, pass: 3, skipped: 4 };

export interface BuiltRequest {
  url: string;
  headers: Record<string, string>;
  /** What goes on the wire: JSON or raw text, or a multipart form (rebuilt per attempt: a form is one-shot). */
  body: () => string | FormData | undefined;
  /** The JSON body as the case defines it (plus `model` for the openai profile), for checks and the transcript. */
  requestBody: unknown;
  multipart?: RecordedRequest['multipart'];
}

/** The request a case sends to a target, before anything is sent (also used by the bench's bare loop). */
export function buildRequest(spec: CaseSpec, target: Target, apiKey: string): BuiltRequest {
  const req = spec.request;
  const deployment = req.deployment ?? target.deployments[CAPABILITY_OF[spec.operation]]!;
  const address = new URL(
    operationUrl({ profile: target.profile, endpoint: target.endpoint, operation: spec.operation, deployment, apiVersion: resolveApiVersion(target.profile, req.apiVersion) }),
  );
  for (const [k, v] of Object.entries(req.query ?? {})) address.searchParams.set(k, v);
  const requestBody = bodyFor(spec, target, deployment);
  const model = target.profile === 'openai' ? deployment : undefined;
  const bodyText = req.rawBody ?? (requestBody === undefined ? undefined : JSON.stringify(requestBody));
  const headers: Record<string, string> = {
    'user-agent': USER_AGENT,
    // undici sets the multipart content type (with its boundary) itself.
    ...(bodyText !== undefined ? { 'content-type': req.contentType ?? 'application/json' } : {}),
    ...authHeaders(target.profile, req.auth, apiKey),
    ...withDeployment(req.headers, deployment),
  };
  const multipart = req.multipart && buildMultipart(req.multipart, model);
  return {
    url: address.toString(),
    headers,
    body: multipart ? () => buildMultipart(req.multipart!, model).data : () => bodyText,
    requestBody: requestBody ?? multipart?.record.fields,
    multipart: multipart?.record,
  };
}

async function perform(spec: CaseSpec, ctx: RunContext): Promise<{ exchange: Exchange; requestBody: unknown }> {
  const { target } = ctx;
  const req = spec.request;
  const built = buildRequest(spec, target, ctx.apiKey);
  const { url, headers } = built;
  const policy = ctx.retry ?? DEFAULT_RETRY_POLICY;
  const retries: NonNullable<Exchange['retries']> = [];
  let waited = 0;
  let raw: RawExchange;
  for (let attempt = 0; ; attempt++) {
    ctx.budget?.take();
    raw = await send({ method: 'POST', url, headers, body: built.body(), timeoutMs: target.requestTimeoutMs, maxBodyBytes: target.maxBodyBytes, stream: target.stream });
    if (raw.resetBeforeHeaders && !retries.some((r) => r.source === 'connection-reset')) {
      // A pooled keep-alive connection the server closed as we reused it: the classic race every HTTP
      // client retries once. A target that resets every connection still fails on the second attempt.
      retries.push({ status: 0, waitMs: 0, source: 'connection-reset' });
      ctx.budget?.take();
      raw = await send({ method: 'POST', url, headers, body: built.body(), timeoutMs: target.requestTimeoutMs, maxBodyBytes: target.maxBodyBytes, stream: target.stream });
    }
    if (raw.response?.status !== 429 || req.retryOn429 === false || attempt >= policy.maxRetries || ctx.budget?.exhausted) break;
    const wait = retryWait(raw.response.headers, attempt, policy);
    if (waited + wait.waitMs > policy.maxTotalWaitMs) break;
    retries.push({ status: 429, ...wait });
    waited += wait.waitMs;
    await sleep(wait.waitMs);
  }
  const response: RecordedResponse | undefined = raw.response && { ...raw.response, ...(raw.response.sse ? { jsonError: 'the response is a text/event-stream, not a JSON document' } : parseJson(raw.response.bodyText, raw.response.truncated, raw.response.invalidUtf8)) };
  return {
    exchange: {
      request: { method: 'POST', url, headers, body: built.requestBody, bodyText: req.rawBody, multipart: built.multipart },
      response,
      transportError: raw.transportError,
      timings: raw.timings,
      ...(retries.length ? { retries } : {}),
    },
    requestBody: built.requestBody,
  };
}

/** Header values may name the target's deployment as `{deployment}` (e.g. azureml-model-deployment). */
function withDeployment(headers: Record<string, string> | undefined, deployment: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, v.replaceAll('{deployment}', deployment)]));
}

/** Multipart form from fixtures; the openai profile also names the model as a form field. */
function buildMultipart(spec: MultipartSpec, model: string | undefined): { data: FormData; record: NonNullable<RecordedRequest['multipart']> } {
  const data = new FormData();
  const record: NonNullable<RecordedRequest['multipart']> = { fields: {}, files: {} };
  const fields = { ...(model !== undefined ? { model } : {}), ...spec.fields };
  for (const [name, value] of Object.entries(fields)) {
    data.append(name, String(value));
    record.fields[name] = String(value);
  }
  for (const [name, file] of Object.entries(spec.files ?? {})) {
    const bytes = readFileSync(join(CASES_DIR, FIXTURES_DIR, file.fixture));
    const filename = file.filename ?? basename(file.fixture);
    const contentType = file.contentType ?? 'application/octet-stream';
    data.append(name, new Blob([bytes], { type: contentType }), filename);
    record.files[name] = { filename, contentType, bytes: bytes.length };
  }
  return { data, record };
}

/** The openai profile names the model in the body; Azure profiles address it in the URL or a header. */
function bodyFor(spec: CaseSpec, target: Target, deployment: string): unknown {
  const body = spec.request.body;
  if (target.profile === 'openai' && body && typeof body === 'object' && !Array.isArray(body) && !('model' in body)) {
    return { model: deployment, ...body };
  }
  return body;
}

function parseJson(text: string, truncated: boolean, invalidUtf8 = false): Pick<RecordedResponse, 'json' | 'jsonError'> {
  if (truncated) return { jsonError: 'the body exceeded the size limit and was not parsed' };
  if (invalidUtf8) return { jsonError: 'the body is not valid UTF-8, which JSON requires (RFC 8259 §8.1)' };
  if (text.trim() === '') return { jsonError: 'the body is empty' };
  try {
    return { json: JSON.parse(text) as unknown };
  } catch (err) {
    return { jsonError: (err as Error).message };
  }
}

async function judge(spec: CaseSpec, ctx: RunContext, exchange: Exchange, requestBody: unknown): Promise<CheckResult[]> {
  const levelOf = (requirement: string): Level => ctx.requirements.get(requirement)?.level ?? spec.level;
  const ids = new Map<string, number>();
  const idFor = (check: string) => {
    const n = (ids.get(check) ?? 0) + 1;
    ids.set(check, n);
    return `${spec.id}/${check}${n > 1 ? `#${n}` : ''}`;
  };
  const transport: CheckResult = {
    id: `${spec.id}/${TRANSPORT_CHECK}`,
    check: TRANSPORT_CHECK,
    requirement: TRANSPORT_REQUIREMENT,
    level: 'MUST',
    status: exchange.response ? 'pass' : 'fail',
    expected: 'an HTTP response',
    actual: exchange.response ? `HTTP ${exchange.response.status}` : exchange.transportError,
    message: exchange.response ? 'a response arrived' : `no response: ${exchange.transportError}`,
  };
  if (!exchange.response) {
    return [transport, ...spec.expect.map((e) => notEvaluated(idFor(e.check), e.check, e.requirement, levelOf(e.requirement), 'no response was received'))];
  }
  const response = exchange.response;
  const schemas = ctx.schemas ?? SchemaRegistry.shared();
  const results: CheckResult[] = [transport];
  let stoppedBy: string | undefined;
  for (const e of spec.expect) {
    const def = CHECKS.get(e.check)!;
    const level = levelOf(e.requirement);
    const id = idFor(e.check);
    if (stoppedBy) {
      results.push(notEvaluated(id, e.check, e.requirement, level, stoppedBy));
      continue;
    }
    let outcome: CheckOutcome;
    if (def.needsJson && response.json === undefined) {
      outcome = { ok: false, expected: 'a JSON body', actual: response.bodyText.slice(0, 200), message: `the body is not JSON (${response.jsonError})` };
    } else {
      try {
        outcome = await def.run({ operation: spec.operation, response, requestBody, profile: ctx.target.profile, surface: PROFILE_INFO[ctx.target.profile].schemaSurface, schemas, args: e.args });
      } catch (err) {
        outcome = { ok: 'error', expected: '(check could not run)', actual: String(err), message: `the check itself failed: ${(err as Error).message}` };
      }
    }
    const status: Status = outcome.ok === 'error' ? 'error' : outcome.ok ? 'pass' : level === 'MUST' ? 'fail' : 'warning';
    results.push({ id, check: e.check, requirement: e.requirement, level, status, expected: outcome.expected, actual: outcome.actual, message: outcome.message });
    // A gate stops the later checks when the response is not of the kind they judge: always when it failed,
    // and on a warning (a SHOULD-level status) when the answer is of another class (a 400 where 200 was wanted).
    if (def.gate && (status === 'fail' || (status === 'warning' && outcome.stopsLaterChecks))) stoppedBy = `not evaluated: ${e.check} ${status === 'fail' ? 'failed' : 'warned'} (${outcome.message})`;
  }
  return results;
}

function notEvaluated(id: string, check: string, requirement: string, level: Level, reason: string): CheckResult {
  return { id, check, requirement, level, status: 'skipped', expected: null, actual: null, message: reason };
}

/** A case fails when a MUST check fails; otherwise errors, then warnings, decide. */
export function aggregate(statuses: Status[]): Status {
  for (const s of ['fail', 'error', 'warning'] as const) if (statuses.includes(s)) return s;
  return statuses.length && statuses.every((s) => s === 'skipped') ? 'skipped' : 'pass';
}

function redactExchange(exchange: Exchange, redactor: Redactor): Exchange {
  return {
    request: {
      ...exchange.request,
      url: redactor.text(exchange.request.url),
      headers: redactor.headers(exchange.request.headers),
      body: redactor.requestBody(exchange.request.body),
      bodyText: exchange.request.bodyText === undefined ? undefined : redactor.text(exchange.request.bodyText),
      multipart: exchange.request.multipart && redactor.requestBody(exchange.request.multipart),
    },
    response: exchange.response && {
      ...exchange.response,
      headers: redactor.headers(exchange.response.headers),
      bodyText: redactor.text(truncateForReport(exchange.response.bodyText)),
      // The parsed body is kept only when small: the text above already shows a large one.
      json: exchange.response.bodyText.length <= REPORT_BODY_LIMIT ? redactor.value(exchange.response.json) : undefined,
      sse: exchange.response.sse && redactor.value({ ...exchange.response.sse, events: exchange.response.sse.events.slice(0, REPORT_EVENT_LIMIT) }),
    },
    transportError: exchange.transportError && redactor.text(exchange.transportError),
    timings: exchange.timings,
    ...(exchange.retries ? { retries: exchange.retries } : {}),
  };
}

const REPORT_BODY_LIMIT = 64 * 1024;
/** Stream events kept in the report per case (checks see them all). */
const REPORT_EVENT_LIMIT = 200;
function truncateForReport(text: string): string {
  return text.length > REPORT_BODY_LIMIT ? `${text.slice(0, REPORT_BODY_LIMIT)}\n… [${text.length - REPORT_BODY_LIMIT} more characters not shown]` : text;
}
