/**
 * Target health: one misbehaving request stays one finding. After a transport failure the monitor asks,
 * cheaply and on a fresh connection, whether the target still answers at all:
 * - it answers: the failure is the request's own (and the same failure many times in a row, for one kind
 *   of request, becomes one finding: later requests of that kind are not sent to wait out their limits);
 * - it does not: an outage. Cases not yet sent wait (they are not judged against a dead target); the monitor
 *   probes with bounded back-off. When the target answers again, the requests that were in flight are sent
 *   again one at a time: the one that brings it down again is the proven culprit, the others are judged on
 *   their own. When it never answers again within the recovery bound, the run stops: the earliest request
 *   in flight is named as the likely culprit and every remaining case is "not judged".
 * Clock and sleep are injectable so the tests drive time by events.
 */
import type { FailureKind } from './http.ts';

/** Requests that fail alike are grouped by operation and whether they stream. */
export type Scope = string;

export interface ProbeOutcome {
  answered: boolean;
  /** What the probe met when it did not get an answer. */
  detail?: string;
}

export interface HealthOptions {
  /** One cheap request on a fresh connection: did the target answer at all (any status)? */
  probe(): Promise<ProbeOutcome>;
  /** How long an outage may last before the run stops. */
  recoveryTimeoutMs: number;
  /** This many requests of one scope in a row failing the same way, while the target answers probes, are one finding. */
  systemicAfter: number;
  /** First wait between probes during an outage; it doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export type AttemptFailureKind = FailureKind | 'stream-stalled';

export interface AttemptReport {
  caseId: string;
  scope: Scope;
  /** When the attempt was sent (the monitor's clock). */
  startedAt: number;
  /** Absent when the target answered. */
  failure?: { kind: AttemptFailureKind; message: string };
}

export type Attribution =
  /** The target answered this request. */
  | { role: 'answered'; note?: string }
  /** The request failed, yet the target still answers: the failure is this request's own. */
  | { role: 'own-failure'; note?: string }
  /** The target stopped answering after this request. */
  | { role: 'culprit'; note: string }
  /** Send the request again, alone: it was in flight with others when the target stopped answering. */
  | { role: 'replay'; note: string }
  /** In flight when the target stopped answering; it never answered again. */
  | { role: 'not-judged'; reason: string };

export type Admission = { ok: true } | { ok: false; reason: string };

/** What the run's report says about the target's health. */
export interface HealthIncident {
  kind: 'outage' | 'systemic';
  /** The case after which the target stopped answering (outage), or the first of the failing run (systemic). */
  culprit?: string;
  /** Whether the culprit was proven (it brought the target down again when sent alone, or it was alone in flight). */
  proven: boolean;
  /** One line for the headline. */
  summary: string;
  /** Cases not judged because of this incident. */
  notJudged: string[];
  recovered?: boolean;
}

interface Suspect {
  caseId: string;
  startedAt: number;
  settle(a: Attribution): void;
}

interface Outage {
  trigger: string;
  since: number;
  suspects: Suspect[];
  /** Set when a request answers while the outage is open: the target is back. */
  wake: AbortController;
  /** The isolated replay that re-opened this outage: it is the proven culprit. */
  provenBy?: Suspect;
}

/** A replay was answered, failed on its own, or brought the target down again (then it is the culprit). */
type ReplayOutcome = 'answered' | 'own-failure' | Suspect;

const STOP_FAILURES: ReadonlySet<AttemptFailureKind> = new Set(['interrupted']);

export class TargetHealth {
  readonly incidents: HealthIncident[] = [];
  private outage?: Outage;
  private stopped?: string;
  private probing?: Promise<ProbeOutcome>;
  /** Replays run one at a time; while they run, no other case is sent. */
  private isolation?: Promise<void>;
  private replaying?: { caseId: string; settle(outcome: ReplayOutcome): void };
  private readonly waiters = new Set<() => void>();
  private readonly streaks = new Map<Scope, { kind: AttemptFailureKind; cases: string[] }>();
  private readonly blocked = new Map<Scope, HealthIncident>();
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly stopSignal = new AbortController();

  constructor(private readonly opts: HealthOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.sleep = opts.sleep ?? defaultSleep;
  }

  /** Why the run stopped early, if it did. */
  get stoppedBecause(): string | undefined {
    return this.stopped;
  }

  /** Ends every wait: the run was interrupted. */
  stop(reason: string): void {
    this.stopped ??= reason;
    this.stopSignal.abort();
    this.release();
  }

  /** Called before a case sends its first request: waits while the target is down or replays run. */
  async admit(scope: Scope): Promise<Admission> {
    for (;;) {
      if (this.stopped) return { ok: false, reason: this.stopped };
      const systemic = this.blocked.get(scope);
      if (systemic) return { ok: false, reason: `not judged: ${systemic.summary}` };
      if (!this.outage && !this.isolation) return { ok: true };
      await new Promise<void>((resolve) => this.waiters.add(resolve));
    }
  }

  /** Called after every attempt; a failed attempt waits here until the monitor knows what it means. */
  async report(attempt: AttemptReport): Promise<Attribution> {
    if (this.replaying?.caseId === attempt.caseId) return this.replayOutcome(attempt);
    if (!attempt.failure) {
      this.streaks.delete(attempt.scope);
      // A request that gets an answer during an outage proves the target is back.
      this.outage?.wake.abort();
      return { role: 'answered' };
    }
    if (STOP_FAILURES.has(attempt.failure.kind)) return { role: 'own-failure' };
    if (this.stopped) return { role: 'not-judged', reason: this.stopped };
    if (this.outage) return this.suspect(attempt);
    const probe = await this.probe();
    if (this.stopped) return { role: 'not-judged', reason: this.stopped };
    if (this.outage) return this.suspect(attempt);
    if (probe.answered) return this.ownFailure(attempt);
    const outage: Outage = { trigger: attempt.caseId, since: this.now(), suspects: [], wake: new AbortController() };
    this.outage = outage;
    const attribution = this.suspect(attempt);
    void this.recover(outage);
    return attribution;
  }

  private ownFailure(attempt: AttemptReport): Attribution {
    const kind = attempt.failure!.kind;
    const streak = this.streaks.get(attempt.scope);
    const cases = streak?.kind === kind ? [...streak.cases, attempt.caseId] : [attempt.caseId];
    this.streaks.set(attempt.scope, { kind, cases });
    if (cases.length >= this.opts.systemicAfter && !this.blocked.has(attempt.scope)) {
      const incident: HealthIncident = {
        kind: 'systemic',
        culprit: cases[0],
        proven: true,
        summary: `the last ${cases.length} ${attempt.scope} requests (${cases.join(', ')}) all failed the same way although the target answers: ${attempt.failure!.message}`,
        notJudged: [],
      };
      this.blocked.set(attempt.scope, incident);
      this.incidents.push(incident);
    }
    return { role: 'own-failure', note: cases.length > 1 ? `the ${ordinal(cases.length)} ${attempt.scope} request in a row to fail this way` : undefined };
  }

  /** Records a case that is not sent because of an incident (for the incident's count). */
  notJudged(caseId: string, reason: string): void {
    const incident = [...this.incidents].reverse().find((i) => reason.includes(i.summary)) ?? this.incidents.at(-1);
    if (incident && !incident.notJudged.includes(caseId)) incident.notJudged.push(caseId);
  }

  private probe(): Promise<ProbeOutcome> {
    this.probing ??= this.opts.probe().finally(() => (this.probing = undefined));
    return this.probing;
  }

  private suspect(attempt: AttemptReport): Promise<Attribution> {
    return new Promise((settle) => this.outage!.suspects.push({ caseId: attempt.caseId, startedAt: attempt.startedAt, settle }));
  }

  /** Probes with back-off until the target answers or the recovery bound passes. */
  private async recover(outage: Outage): Promise<void> {
    let wait = this.opts.backoffMs ?? 500;
    const maxWait = this.opts.maxBackoffMs ?? 10_000;
    for (;;) {
      const left = this.opts.recoveryTimeoutMs - (this.now() - outage.since);
      if (this.stopped || left <= 0) return this.giveUp(outage);
      await this.sleep(Math.min(wait, left), AbortSignal.any([outage.wake.signal, this.stopSignal.signal]));
      wait = Math.min(wait * 2, maxWait);
      if (this.stopped) return this.giveUp(outage);
      if (outage.wake.signal.aborted || (await this.probe()).answered) return this.recovered(outage);
    }
  }

  private recovered(outage: Outage): void {
    this.outage = undefined;
    const downFor = seconds(this.now() - outage.since);
    const suspects = [...outage.suspects].sort((a, b) => a.startedAt - b.startedAt);
    if (outage.provenBy || suspects.length <= 1) {
      const culprit = outage.provenBy ?? suspects[0];
      this.incidents.push({ kind: 'outage', culprit: culprit?.caseId, proven: true, recovered: true, summary: `the target stopped answering after case ${culprit?.caseId ?? outage.trigger} and answered again ${downFor} later`, notJudged: [] });
      culprit?.settle({ role: 'culprit', note: `the target stopped answering after this request${outage.provenBy ? ' (again, when it was sent alone)' : ''}; it answered again ${downFor} later` });
      for (const s of suspects) if (s !== culprit) this.queueReplay(s, `in flight when the target stopped answering after case ${culprit?.caseId}`);
    } else {
      for (const s of suspects) this.queueReplay(s, `in flight with ${suspects.length - 1} other request(s) when the target stopped answering for ${downFor}`);
    }
    if (!this.isolation) this.release();
  }

  private pendingReplays: Array<{ suspect: Suspect; why: string }> = [];

  private queueReplay(suspect: Suspect, why: string): void {
    this.pendingReplays.push({ suspect, why });
    this.isolation ??= this.runReplays().finally(() => {
      this.isolation = undefined;
      this.release();
    });
  }

  /** Sends the suspects again one at a time, so each is judged on its own and the culprit shows itself. */
  private async runReplays(): Promise<void> {
    for (let next = this.pendingReplays.shift(); next; next = this.pendingReplays.shift()) {
      if (this.stopped) {
        next.suspect.settle({ role: 'not-judged', reason: this.stopped });
        continue;
      }
      const outcome = await new Promise<ReplayOutcome>((settle) => {
        this.replaying = { caseId: next.suspect.caseId, settle };
        next.suspect.settle({ role: 'replay', note: `${next.why}; sent again alone` });
      });
      this.replaying = undefined;
      if (typeof outcome === 'object') {
        // This request brought the target down again on its own: the proven culprit. Wait for the target, then go on.
        this.outage = { trigger: outcome.caseId, since: this.now(), suspects: [], wake: new AbortController(), provenBy: outcome };
        await this.recover(this.outage);
      }
    }
  }

  /** The outcome of an isolated replay. */
  private async replayOutcome(attempt: AttemptReport): Promise<Attribution> {
    const replay = this.replaying!;
    if (!attempt.failure) {
      replay.settle('answered');
      return { role: 'answered', note: 'it was in flight when the target stopped answering; sent again alone, it was answered and is judged on that answer' };
    }
    const probe = await this.probe();
    if (probe.answered) {
      replay.settle('own-failure');
      return { role: 'own-failure', note: 'sent again alone, it failed the same way while the target kept answering' };
    }
    // Its culprit attribution is settled when the outage it re-opened ends (see runReplays).
    return new Promise((settle) => replay.settle({ caseId: attempt.caseId, startedAt: attempt.startedAt, settle }));
  }

  private giveUp(outage: Outage): void {
    const suspects = [...outage.suspects].sort((a, b) => a.startedAt - b.startedAt);
    const culprit = outage.provenBy ?? suspects[0];
    const others = suspects.filter((s) => s !== culprit);
    const bound = seconds(this.opts.recoveryTimeoutMs);
    const reason = this.stopped ?? `not judged: the target has not answered since case ${culprit?.caseId ?? outage.trigger} (waited ${bound})`;
    const interrupted = this.stopped !== undefined;
    this.stopped = reason;
    if (!interrupted) {
      this.incidents.push({
        kind: 'outage',
        culprit: culprit?.caseId,
        proven: outage.provenBy !== undefined || suspects.length <= 1,
        recovered: false,
        summary: `the target stopped answering after case ${culprit?.caseId ?? outage.trigger}${others.length ? ` (or one of ${others.length} request(s) in flight with it: ${others.map((s) => s.caseId).join(', ')})` : ''} and did not answer again within ${bound}`,
        notJudged: others.map((s) => s.caseId),
      });
    }
    culprit?.settle(interrupted ? { role: 'not-judged', reason } : { role: 'culprit', note: `the target stopped answering after this request${others.length ? ` (or after one of the ${others.length} in flight with it)` : ''} and did not answer again within ${bound}` });
    for (const s of others) s.settle({ role: 'not-judged', reason: interrupted ? reason : `not judged: in flight when the target stopped answering after case ${culprit?.caseId}; it did not answer again within ${bound}` });
    this.outage = undefined;
    for (const { suspect } of this.pendingReplays.splice(0)) suspect.settle({ role: 'not-judged', reason });
    this.release();
  }

  private release(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }
}

function seconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

function ordinal(n: number): string {
  return n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
