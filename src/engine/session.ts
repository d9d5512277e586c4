/**
 * One run's shared state on the engine side: the target-health monitor, the request budget, the count of
 * failed cases for --max-failures, and the interruption signal. The vitest glue and in-process callers
 * (tests, the bench) run cases through it the same way.
 */
import { setMaxListeners } from 'node:events';
import type { CaseResult, CaseSpec, Requirement } from '../model.ts';
import { Redactor } from '../redact.ts';
import { headerSecrets, secretHeaderEnvs, type Target } from '../target.ts';
import { type HealthIncident, TargetHealth } from './health.ts';
import type { CredentialSource } from './credential.ts';
import { freshDispatcherFor, probeFor, sendProbe } from './probe.ts';
import { dispatcherFor } from './transport.ts';
import { formatDuration } from '../duration.ts';
import { DEFAULT_RETRY_POLICY, RequestBudget } from './retry.ts';
import { caseHeader, INTERRUPTED, type RunContext, runCase } from './run-case.ts';

export interface SessionOptions {
  target: Target;
  /** The credential when it does not change during the run (tests); otherwise `credential`. */
  apiKey: string;
  /** The run's credential, current at each request (a refreshed token); default: `apiKey`. */
  credential?: CredentialSource;
  requirements: Map<string, Requirement>;
  /** The operations the run covers: the health probe asks one of them. */
  cases: CaseSpec[];
  repeat?: number;
  maxRequests?: number;
  maxFailures?: number;
  userSkips?: ReadonlyMap<string, string>;
  followExternalUrls?: boolean;
  /** Redacts the run's secrets (default: the credential and the extra headers' secret values). */
  redactor?: Redactor;
  recoveryTimeoutMs: number;
  systemicAfter: number;
}

export class RunSession {
  readonly health: TargetHealth;
  private readonly ctx: RunContext;
  private readonly interrupt = new AbortController();
  private failed = 0;

  constructor(private readonly opts: SessionOptions) {
    // Every request and stream in flight listens to the run's interruption: as many listeners as the concurrency allows, not a leak.
    setMaxListeners(0, this.interrupt.signal);
    const probe = probeFor(opts.target, opts.apiKey, [...new Set(opts.cases.map((c) => c.operation))]);
    const fresh = freshDispatcherFor(opts.target);
    this.health = new TargetHealth({
      probe: () => sendProbe(probe, opts.target.requestTimeoutMs, fresh, this.interrupt.signal),
      recoveryTimeoutMs: opts.recoveryTimeoutMs,
      systemicAfter: opts.systemicAfter,
    });
    this.ctx = {
      target: opts.target,
      apiKey: opts.apiKey,
      requirements: opts.requirements,
      redactor: opts.redactor ?? new Redactor([opts.apiKey, ...headerSecrets(opts.target)], { headers: Object.keys(secretHeaderEnvs(opts.target)) }),
      ...(opts.credential ? { credential: () => opts.credential!.current() } : {}),
      dispatcher: dispatcherFor(opts.target.transport, opts.target.endpoint),
      repeat: opts.repeat,
      budget: opts.maxRequests === undefined ? undefined : new RequestBudget(opts.maxRequests),
      health: this.health,
      signal: this.interrupt.signal,
      userSkips: opts.userSkips,
      followExternalUrls: opts.followExternalUrls,
    };
  }

  get incidents(): HealthIncident[] {
    return this.health.incidents;
  }

  /** Why the run stopped before its end (the target never came back, --max-failures), if it did. */
  get stoppedEarly(): string | undefined {
    return this.health.stoppedBecause ?? this.maxFailuresReached();
  }

  /** Ends the run now: in-flight requests are abandoned and every case not yet judged says so. */
  abort(reason = INTERRUPTED): void {
    this.health.stop(reason);
    this.interrupt.abort();
  }

  get interrupted(): boolean {
    return this.interrupt.signal.aborted;
  }

  async run(spec: CaseSpec, signal?: AbortSignal): Promise<CaseResult> {
    const stop = this.maxFailuresReached();
    if (stop) return { ...caseHeader(spec, this.opts.target.profile), status: 'skipped', skipReason: stop, checks: [], durationMs: 0 };
    const onAbort = () => this.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let guard: NodeJS.Timeout | undefined;
    try {
      const bound = this.hangGuardMs(spec);
      const hung = new Promise<CaseResult>((resolve) => {
        guard = setTimeout(() => resolve({ ...caseHeader(spec, this.opts.target.profile), status: 'error', checks: [], durationMs: bound, runError: `the suite's own hang guard fired after ${formatDuration(bound)}, beyond every time limit of the case: a bug of aoai-conformance, please report it` }), bound);
      });
      const result = await Promise.race([runCase(spec, this.ctx), hung]);
      if (result.status === 'fail') this.failed++;
      return result;
    } finally {
      clearTimeout(guard);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Far beyond the case's own limits: every attempt's time limits, the 429 waits, and outages the target may have. */
  private hangGuardMs(spec: CaseSpec): number {
    const t = this.opts.target;
    const attempt = Math.max(t.requestTimeoutMs, t.stream.totalTimeoutMs);
    const runs = spec.repeat ? Math.max(1, this.opts.repeat ?? 1) : 1;
    return runs * (3 * attempt + DEFAULT_RETRY_POLICY.maxTotalWaitMs + 4 * this.opts.recoveryTimeoutMs) + 60_000;
  }

  private maxFailuresReached(): string | undefined {
    const max = this.opts.maxFailures;
    return max !== undefined && this.failed >= max ? `not run: --max-failures ${max} reached (${this.failed} case(s) failed)` : undefined;
  }
}
