/**
 * One run's shared state on the engine side: the target-health monitor, the request budget, the count of
 * failed cases for --max-failures, and the interruption signal. The vitest glue and in-process callers
 * (tests, the bench) run cases through it the same way.
 */
import type { CaseResult, CaseSpec, Requirement } from '../model.ts';
import { Redactor } from '../redact.ts';
import type { Target } from '../target.ts';
import { type HealthIncident, TargetHealth } from './health.ts';
import { freshAgent, probeFor, sendProbe } from './probe.ts';
import { RequestBudget } from './retry.ts';
import { caseHeader, INTERRUPTED, type RunContext, runCase } from './run-case.ts';

export interface SessionOptions {
  target: Target;
  apiKey: string;
  requirements: Map<string, Requirement>;
  /** The operations the run covers: the health probe asks one of them. */
  cases: CaseSpec[];
  repeat?: number;
  maxRequests?: number;
  maxFailures?: number;
  userSkips?: ReadonlyMap<string, string>;
  recoveryTimeoutMs: number;
  systemicAfter: number;
}

export class RunSession {
  readonly health: TargetHealth;
  private readonly ctx: RunContext;
  private readonly interrupt = new AbortController();
  private failed = 0;

  constructor(private readonly opts: SessionOptions) {
    const probe = probeFor(opts.target, opts.apiKey, [...new Set(opts.cases.map((c) => c.operation))]);
    this.health = new TargetHealth({
      probe: () => sendProbe(probe, opts.target.requestTimeoutMs, freshAgent, this.interrupt.signal),
      recoveryTimeoutMs: opts.recoveryTimeoutMs,
      systemicAfter: opts.systemicAfter,
    });
    this.ctx = {
      target: opts.target,
      apiKey: opts.apiKey,
      requirements: opts.requirements,
      redactor: new Redactor([opts.apiKey]),
      repeat: opts.repeat,
      budget: opts.maxRequests === undefined ? undefined : new RequestBudget(opts.maxRequests),
      health: this.health,
      signal: this.interrupt.signal,
      userSkips: opts.userSkips,
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
    try {
      const result = await runCase(spec, this.ctx);
      if (result.status === 'fail') this.failed++;
      return result;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private maxFailuresReached(): string | undefined {
    const max = this.opts.maxFailures;
    return max !== undefined && this.failed >= max ? `not run: --max-failures ${max} reached (${this.failed} case(s) failed)` : undefined;
  }
}
