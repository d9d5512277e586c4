/**
 * 429 handling: how long a rate-limited target asks us to wait. Honours, in order, `retry-after-ms`,
 * `x-ms-retry-after-ms` and `Retry-After` (seconds or an HTTP date), as the Azure SDKs do; without any,
 * an exponential backoff. Bounded in count and total wait by the policy.
 */
export interface RetryPolicy {
  maxRetries: number;
  /** The most a single case may spend waiting on 429s. */
  maxTotalWaitMs: number;
  /** Backoff base when the target names no wait. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 3, maxTotalWaitMs: 60_000, baseDelayMs: 1_000 };

export interface RetryWait {
  waitMs: number;
  source: 'retry-after-ms' | 'x-ms-retry-after-ms' | 'retry-after' | 'backoff';
}

export function retryWait(headers: Record<string, string>, attempt: number, policy: RetryPolicy, now = Date.now()): RetryWait {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms'] as const) {
    const ms = Number(headers[name]);
    if (headers[name] !== undefined && Number.isFinite(ms) && ms >= 0) return { waitMs: ms, source: name };
  }
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return { waitMs: seconds * 1000, source: 'retry-after' };
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return { waitMs: Math.max(0, date - now), source: 'retry-after' };
  }
  return { waitMs: policy.baseDelayMs * 2 ** attempt, source: 'backoff' };
}

/** A shared request budget for a run; `take()` is false once it is spent. */
export class RequestBudget {
  constructor(private remaining: number) {}

  take(): boolean {
    if (this.remaining <= 0) return false;
    this.remaining--;
    return true;
  }

  get exhausted(): boolean {
    return this.remaining <= 0;
  }
}
