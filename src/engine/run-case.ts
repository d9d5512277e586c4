/**
 * The one engine: for a case and a target, build the request, send it, record the exchange and
 * run the case's checks. Knows nothing of vitest; suites and tests call `runCase`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CaseResult, CaseSpec, CheckResult, Exchange, RecordedResponse, Requirement, Status } from '../model.ts';
import { CAPABILITY_OF } from '../profiles.ts';
import { Redactor } from '../redact.ts';
import type { SchemaRegistry } from '../schemas/registry.ts';
import type { Target } from '../target.ts';
import { performDerived } from './derive.ts';
import { mediaTypeOf, type RawExchange, send } from './http.ts';
import { aggregate, judge } from './judge.ts';
import { redactExchange } from './record.ts';
import { buildRequest } from './request.ts';
import { DEFAULT_RETRY_POLICY, type RequestBudget, retryWait, type RetryPolicy } from './retry.ts';

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
    // A derived case sends a first request and builds the real one from its answer (src/engine/derive.ts).
    const { exchange, requestBody } = spec.request.derive ? await performDerived(spec, (derived) => perform(derived, ctx)) : await perform(spec, ctx);
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
    raw = await send({ method: 'POST', url, headers, body: built.body(), timeoutMs: target.requestTimeoutMs, maxBodyBytes: target.maxBodyBytes, stream: target.stream, readAsStream: asksForStream(built.requestBody) });
    if (raw.resetBeforeHeaders && !retries.some((r) => r.source === 'connection-reset')) {
      // A pooled keep-alive connection the server closed as we reused it: the classic race every HTTP
      // client retries once. A target that resets every connection still fails on the second attempt.
      retries.push({ status: 0, waitMs: 0, source: 'connection-reset' });
      ctx.budget?.take();
      raw = await send({ method: 'POST', url, headers, body: built.body(), timeoutMs: target.requestTimeoutMs, maxBodyBytes: target.maxBodyBytes, stream: target.stream, readAsStream: asksForStream(built.requestBody) });
    }
    if (raw.response?.status !== 429 || req.retryOn429 === false || attempt >= policy.maxRetries || ctx.budget?.exhausted) break;
    const wait = retryWait(raw.response.headers, attempt, policy);
    if (waited + wait.waitMs > policy.maxTotalWaitMs) break;
    retries.push({ status: 429, ...wait });
    waited += wait.waitMs;
    await sleep(wait.waitMs);
  }
  const response: RecordedResponse | undefined = raw.response && { ...raw.response, ...(mediaTypeOf(raw.response.headers['content-type']) === 'text/event-stream' ? { jsonError: 'the response is a text/event-stream, not a JSON document' } : parseJson(raw.response)) };
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

/** A JSON request with `stream: true` is answered as an event stream, whatever the answer's headers claim. */
function asksForStream(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { stream?: unknown }).stream === true;
}

function parseJson({ bodyText: text, truncated, invalidUtf8, incomplete }: NonNullable<RawExchange['response']>): Pick<RecordedResponse, 'json' | 'jsonError'> {
  if (incomplete) return { jsonError: `the body did not arrive whole: ${incomplete}` };
  if (truncated) return { jsonError: 'the body exceeded the size limit and was not parsed' };
  if (invalidUtf8) return { jsonError: 'the body is not valid UTF-8, which JSON requires (RFC 8259 §8.1)' };
  if (text.trim() === '') return { jsonError: 'the body is empty' };
  try {
    return { json: JSON.parse(text) as unknown };
  } catch (err) {
    return { jsonError: (err as Error).message };
  }
}
