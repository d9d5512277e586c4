/**
 * The one engine: for a case and a target, build the request, send it, record the exchange and
 * run the case's checks. Knows nothing of vitest; suites and tests call `runCase`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { TRANSPORT_CHECK } from '../checks/index.ts';
import type { Attempt, CaseResult, CaseSpec, CheckResult, Exchange, RecordedResponse, Requirement, Status } from '../model.ts';
import { Redactor } from '../redact.ts';
import { caseAtProfile } from '../requirements.ts';
import type { SchemaRegistry } from '../schemas/registry.ts';
import type { Target } from '../target.ts';
import { INTERRUPTED, notApplicable } from './applicable.ts';
import { performDerived } from './derive.ts';
import { mediaTypeOf, type RawExchange, send } from './http.ts';
import type { AttemptReport, Scope, TargetHealth } from './health.ts';
import { secondJudges } from '../judges/index.ts';
import { aggregate, judge } from './judge.ts';
import { boundedChecks, redactExchange } from './record.ts';
import { buildRequest } from './request.ts';
import { DEFAULT_RETRY_POLICY, type RequestBudget, retryWait, type RetryPolicy } from './retry.ts';

export interface RunContext {
  target: Target;
  /** The credential, read from `target.apiKeyEnv` by the caller. */
  apiKey: string;
  /** The credential current at each request (a token renewed during a long run); default: `apiKey`. */
  credential?: () => Promise<string>;
  requirements: Map<string, Requirement>;
  schemas?: SchemaRegistry;
  redactor?: Redactor;
  /** Runs of a `repeat: true` case (default 1). */
  repeat?: number;
  /** Shared by every case of a run; a case that finds it spent is skipped. */
  budget?: RequestBudget;
  retry?: RetryPolicy;
  /** The run's target-health monitor: a case waits while the target is down and is not judged if it never comes back. */
  health?: TargetHealth;
  /** Aborted when the run is interrupted: the case in flight ends as not judged. */
  signal?: AbortSignal;
  /** Cases the user chose to skip (--skip, the target config's `skip:`), with the reason. */
  userSkips?: ReadonlyMap<string, string>;
  /** undici dispatcher for the run's requests (default: the global one). */
  dispatcher?: Dispatcher;
  /** Checks may download URLs a target returns on other hosts than its own (image URLs); off by default. */
  followExternalUrls?: boolean;
}

export { INTERRUPTED, notApplicable };

/** The health monitor groups failing requests by operation and whether they stream. */
export function scopeOf(spec: CaseSpec): Scope {
  return `${spec.operation}${asksForStream(spec.request.body) ? ' stream' : ''}`;
}

/** What a result says of its case, whatever became of it. */
export function caseHeader(spec: CaseSpec, profile: Target['profile']): Omit<CaseResult, 'status' | 'checks' | 'durationMs'> {
  return {
    id: spec.id,
    title: spec.title,
    file: spec.file,
    operation: spec.operation,
    profile,
    requirement: spec.requirement,
    requirements: [...new Set([spec.requirement, ...spec.expect.map((e) => e.requirement)])],
    level: spec.level,
    seed: spec.seed,
  };
}

export async function runCase(given: CaseSpec, ctx: RunContext): Promise<CaseResult> {
  const started = performance.now();
  // The case is judged at its requirement's level for the target's profile.
  const spec = caseAtProfile(given, ctx.requirements, ctx.target.profile);
  const base = caseHeader(spec, ctx.target.profile);
  const userSkip = ctx.userSkips?.get(spec.id);
  const skipReason =
    (userSkip !== undefined ? `skipped by the user: ${userSkip}` : undefined) ??
    notApplicable(spec, ctx.target) ??
    (ctx.budget?.exhausted ? 'the run\'s request budget (--max-requests) is spent' : undefined);
  if (skipReason) return { ...base, status: 'skipped', skipReason, checks: [], durationMs: 0 };
  const notJudged = (reason: string, exchange?: Exchange): CaseResult => {
    ctx.health?.notJudged(spec.id, reason);
    return { ...base, status: 'error', notJudged: reason, checks: [], ...(exchange ? { exchange: redactExchange(exchange, redactor) } : {}), durationMs: performance.now() - started };
  };

  const redactor = (ctx.redactor ?? new Redactor([ctx.apiKey])).withSecretsIn(spec.request.body, spec.request.multipart?.fields, spec.request.headers);
  const runs = spec.repeat ? Math.max(1, ctx.repeat ?? 1) : 1;
  let shown: { exchange: Exchange; checks: CheckResult[]; status: Status } | undefined;
  let passed = 0;
  for (let i = 0; i < runs; i++) {
    if (ctx.signal?.aborted) return notJudged(INTERRUPTED);
    const admission = (await ctx.health?.admit(scopeOf(spec))) ?? { ok: true };
    if (!admission.ok) return notJudged(admission.reason);
    // A derived case sends a first request and builds the real one from its answer (src/engine/derive.ts).
    const performed = spec.request.derive ? await performDerived(spec, (derived) => perform(derived, ctx)) : await perform(spec, ctx);
    if (performed.notJudged) return notJudged(performed.notJudged, performed.exchange);
    const { exchange, requestBody } = performed;
    const checks = withHealthNote([...(await judge(spec, ctx, exchange, requestBody)), ...(await secondJudges(spec, ctx, exchange, requestBody))], exchange);
    const status = aggregate(checks.map((c) => c.status));
    if (status === 'pass' || status === 'warning') passed++;
    // The report shows the worst run: a case that failed once must show that failure.
    if (!shown || STATUS_RANK[status] < STATUS_RANK[shown.status]) shown = { exchange, checks, status };
  }
  return {
    ...base,
    status: shown!.status,
    checks: boundedChecks(redactor.value(shown!.checks)),
    exchange: redactExchange(shown!.exchange, redactor),
    ...(spec.repeat ? { repeat: { runs, passed } } : {}),
    durationMs: performance.now() - started,
  };
}

const STATUS_RANK: Record<Status, number> = { fail: 0, error: 1, warning: 2, pass: 3, skipped: 4 };

/** The transport check says what the target's health monitor learnt from this request (e.g. it is the culprit). */
function withHealthNote(checks: CheckResult[], exchange: Exchange): CheckResult[] {
  const note = exchange.health?.note;
  if (!note) return checks;
  return checks.map((c) => (c.check === TRANSPORT_CHECK ? { ...c, message: `${c.message} — ${note}` } : c));
}

interface Performed {
  exchange: Exchange;
  requestBody: unknown;
  /** Set when the case cannot be judged (the target went down with it in flight and never came back; interrupted). */
  notJudged?: string;
}

/**
 * Sends the case's request and records every attempt. The verdict is the first attempt's, with three exceptions,
 * each recorded in `exchange.attempts`: a 429 is waited out and sent again (the target asked for it); a reset on a
 * keep-alive connection that had carried an earlier request is sent again once on a fresh connection (the client's
 * race, not the target's); a request that was in flight with others when the target stopped answering is sent
 * again alone once the target is back (see ./health.ts).
 */
async function perform(spec: CaseSpec, ctx: RunContext): Promise<Performed> {
  const { target } = ctx;
  const req = spec.request;
  const built = buildRequest(spec, target, ctx.credential ? await ctx.credential() : ctx.apiKey);
  const { url, headers } = built;
  const policy = ctx.retry ?? DEFAULT_RETRY_POLICY;
  const attempts: Attempt[] = [];
  let waited = 0;
  let rateLimited = 0;
  let raced = false;
  let health: Exchange['health'];
  const record = (raw: RawExchange): Exchange => {
    const response: RecordedResponse | undefined = raw.response && { ...raw.response, ...(mediaTypeOf(raw.response.headers['content-type']) === 'text/event-stream' ? { jsonError: 'the response is a text/event-stream, not a JSON document' } : parseJson(raw.response)) };
    return {
      request: { method: 'POST', url, headers, body: built.requestBody, bodyText: req.rawBody, multipart: built.multipart },
      response,
      ...(raw.failure ? { transportError: raw.failure.message } : {}),
      timings: raw.timings,
      ...(attempts.length ? { attempts: [...attempts, attemptOf(raw, 'judged')] } : {}),
      ...(health ? { health } : {}),
    };
  };
  for (;;) {
    ctx.budget?.take();
    const sentAt = performance.now();
    const raw = await send({ method: 'POST', url, headers, body: built.body(), timeoutMs: target.requestTimeoutMs, maxBodyBytes: target.maxBodyBytes, stream: target.stream, readAsStream: asksForStream(built.requestBody), signal: ctx.signal, dispatcher: ctx.dispatcher });
    if (raw.failure?.kind === 'interrupted' || ctx.signal?.aborted) return { exchange: record(raw), requestBody: built.requestBody, notJudged: INTERRUPTED };
    if (raw.failure?.kind === 'reset-before-headers' && raw.failure.reusedConnection && !raced) {
      raced = true;
      attempts.push(attemptOf(raw, 'sent again: reset on a keep-alive connection that had carried an earlier request (the client\'s race); the next attempt used a fresh connection'));
      continue;
    }
    if (ctx.health) {
      const attribution = await ctx.health.report({ caseId: spec.id, scope: scopeOf(spec), startedAt: sentAt, failure: failureOf(raw) });
      if (attribution.role === 'not-judged') return { exchange: record(raw), requestBody: built.requestBody, notJudged: attribution.reason };
      if (attribution.role === 'replay') {
        attempts.push(attemptOf(raw, `sent again: ${attribution.note}`));
        continue;
      }
      if (attribution.note) health = { role: attribution.role, note: attribution.note };
    }
    if (raw.response?.status !== 429 || req.retryOn429 === false || rateLimited >= policy.maxRetries || ctx.budget?.exhausted) return { exchange: record(raw), requestBody: built.requestBody };
    const wait = retryWait(raw.response.headers, rateLimited, policy);
    if (waited + wait.waitMs > policy.maxTotalWaitMs) return { exchange: record(raw), requestBody: built.requestBody };
    rateLimited++;
    waited += wait.waitMs;
    attempts.push({ ...attemptOf(raw, `sent again after waiting ${wait.waitMs} ms (${wait.source})`), waitMs: wait.waitMs, waitSource: wait.source });
    await sleep(wait.waitMs, undefined, { signal: ctx.signal }).catch(() => undefined);
  }
}

function attemptOf(raw: RawExchange, outcome: string): Attempt {
  return {
    outcome,
    ...(raw.response ? { status: raw.response.status, bodyBytes: raw.response.bodyBytes } : {}),
    ...(raw.failure ? { transportError: raw.failure.message } : {}),
    timings: raw.timings,
  };
}

/** What the health monitor needs to know about an attempt: a transport failure, or a stream that stalled. */
function failureOf(raw: RawExchange): AttemptReport['failure'] {
  if (raw.failure) return { kind: raw.failure.kind, message: raw.failure.message };
  const end = raw.response?.sse?.end;
  if (end && (end.kind === 'idle-timeout' || end.kind === 'total-timeout') && !raw.response!.sse!.events.some((e) => e.data === '[DONE]')) {
    return { kind: 'stream-stalled', message: end.kind === 'idle-timeout' ? `the stream stalled: nothing arrived for ${end.afterMs} ms` : `the stream did not end within ${end.afterMs} ms` };
  }
  return undefined;
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
