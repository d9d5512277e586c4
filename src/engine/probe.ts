/**
 * The probe: the smallest real request the target can answer (a one-token chat or completion, a one-word
 * embedding; a GET when the run has none of those), sent on a fresh connection so a stuck pooled one never
 * hides a live target. Any HTTP answer counts. Used by the readiness check before the run and by the
 * target-health monitor after a transport failure.
 */
import { Agent, type Dispatcher } from 'undici';
import type { CaseSpec, OperationId, RequestSpec } from '../model.ts';
import { OPERATION_INFO } from '../operations.ts';
import type { Target } from '../target.ts';
import { send, type TransportFailure } from './http.ts';
import type { ProbeOutcome } from './health.ts';
import { buildRequest } from './request.ts';
import { dispatcherFor } from './transport.ts';

/** Cheapest first. */
const PROBE_BODIES: Partial<Record<OperationId, unknown>> = {
  'chat.completions': { messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 },
  completions: { prompt: 'ping', max_tokens: 1 },
  embeddings: { input: 'ping' },
};

export interface Probe {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** What it asks, for messages ("a one-token chat completion"). */
  what: string;
}

export interface ProbeResult extends ProbeOutcome {
  status?: number;
  failure?: TransportFailure;
}

/** The probe for a run: a cheap request to one of the operations the run covers. */
export function probeFor(target: Target, apiKey: string, operations: OperationId[]): Probe {
  const usable = (op: OperationId) => operations.includes(op) && target.deployments[OPERATION_INFO[op].capability] !== undefined;
  const cheap = (Object.keys(PROBE_BODIES) as OperationId[]).find(usable);
  const operation = cheap ?? operations.find(usable) ?? operations[0] ?? 'chat.completions';
  const request: RequestSpec = cheap ? { body: PROBE_BODIES[cheap] } : {};
  const built = buildRequest({ operation, request } as Pick<CaseSpec, 'operation' | 'request'> as CaseSpec, target, apiKey);
  const body = built.body();
  return {
    method: cheap ? 'POST' : 'GET',
    url: built.url,
    headers: built.headers,
    ...(typeof body === 'string' ? { body } : {}),
    what: cheap ? `a minimal ${operation} request` : `GET ${new URL(built.url).pathname}`,
  };
}

/** A dispatcher used for one probe only: its connection is new and closed afterwards. */
export type FreshDispatcher = () => Dispatcher;

export const freshAgent: FreshDispatcher = () => new Agent({ pipelining: 0, keepAliveTimeout: 1, connections: 1 });

/** Fresh connections made the way the run's own are (its proxy, CA file, certificate checking). */
export function freshDispatcherFor(target: Pick<Target, 'transport' | 'endpoint'>): FreshDispatcher {
  return target.transport ? () => dispatcherFor(target.transport, target.endpoint, { fresh: true })! : freshAgent;
}

/** Sends the probe; the answer is the status line and headers, so the body is not waited for (it may never end). */
export async function sendProbe(probe: Probe, timeoutMs: number, fresh: FreshDispatcher = freshAgent, signal?: AbortSignal): Promise<ProbeResult> {
  const dispatcher = fresh();
  try {
    const raw = await send({
      method: probe.method,
      url: probe.url,
      headers: probe.headers,
      body: probe.body,
      timeoutMs,
      maxBodyBytes: 0,
      stream: { idleTimeoutMs: timeoutMs, totalTimeoutMs: timeoutMs, maxEvents: 0 },
      headersOnly: true,
      dispatcher,
      signal,
    });
    if (raw.response) return { answered: true, status: raw.response.status };
    return { answered: false, failure: raw.failure, detail: raw.failure?.message };
  } finally {
    void dispatcher.destroy().catch(() => undefined);
  }
}
