/**
 * The variation matrix's machinery, shared by test/engine/variations.test.ts (each variation alone) and
 * test/engine/variations-combined.test.ts (the HTTP variations alone, and all variations at once): which case runs a
 * variation can change, running them against an emulator with it switched on, and which outcomes are problems.
 */
import { expect, it } from 'vitest';
import { DEFAULT_DEPLOYMENTS, startEmulator } from '../../emulator/server.ts';
import { RESPONSE_KINDS, type ResponseKind, type Variation } from '../../emulator/variations.ts';
import type { CaseResult, CaseSpec, ProfileName } from '../../src/model.ts';
import { PROFILES } from '../../src/model.ts';
import { cases, requirements, runAgainst, TEST_KEY } from '../helpers.ts';

/**
 * Rows that fail today for a reason the catalogue/schemas audit (issue 13) owns: a requirement level that must
 * change, or a large schema change. Each names the variation, the case (or '*': every case of the variation's run
 * that uses the check) and the check. A row that no longer fails is stale, and the test says so.
 */
export const PENDING_AUDIT: Array<{ variation: string; case: string; check: string; why: string }> = [
  // Empty: the catalogue audit settled D11 (finish_reason a free string) and D18 (completions object a free string).
];

const CONCURRENCY = 8;
/** A hang guard far above the time a run takes, not a speed requirement. */
export const HANG_GUARD_MS = 300_000;

export interface Job {
  spec: CaseSpec;
  profile: ProfileName;
}

/** What a case expects back: its first status gate's statuses (2xx: a stream when it asks for one, else a body). */
function kindsOf(spec: CaseSpec): Set<ResponseKind> {
  const gate = spec.expect.find((e) => e.check === 'status' || e.check === 'status-class');
  const statuses = !gate ? [200] : gate.check === 'status' ? ([] as number[]).concat(gate.args.equals as number | number[]) : [Number(String(gate.args.class)[0]) * 100];
  const streams = typeof spec.request.body === 'object' && spec.request.body !== null && (spec.request.body as { stream?: unknown }).stream === true;
  return new Set(statuses.map((s) => (s >= 400 ? 'error' : streams ? 'stream' : 'success')));
}

/** Every case run a variation can change: its operations, its profiles, its kinds of response. */
export function jobsFor(v?: Variation): Job[] {
  const kinds = v?.responses ?? RESPONSE_KINDS;
  return PROFILES.flatMap((profile) =>
    cases
      .filter((c) => c.profiles.includes(profile) && (!v || (v.operations.includes(c.operation) && (!v.profiles || v.profiles.includes(profile)) && [...kindsOf(c)].some((k) => kinds.includes(k)))))
      .map((spec) => ({ spec, profile })),
  );
}

async function runJobs(variations: string[], jobs: Job[]): Promise<Array<{ job: Job; result: CaseResult }>> {
  const emu = await startEmulator({ key: TEST_KEY, variations, deployments: DEFAULT_DEPLOYMENTS });
  try {
    const out: Array<{ job: Job; result: CaseResult }> = [];
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        out.push({ job, result: await runAgainst(emu.url, job.spec, job.profile) });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return out;
  } finally {
    await emu.close();
  }
}

interface Problem {
  case: string;
  profile: ProfileName;
  check: string;
  status: string;
  message: string;
}

/**
 * Checks that did not pass and are not excused: a warning is excused only where a variation declares it and the
 * requirement rests on observed behaviour. `excused` collects the checks whose warnings were.
 */
function problemsOf(runs: Array<{ job: Job; result: CaseResult }>, active: readonly Variation[], excused = new Set<string>()): Problem[] {
  const mayWarn = new Set(active.flatMap((v) => v.expectedWarnings?.checks ?? []));
  const problems: Problem[] = [];
  for (const { job, result } of runs) {
    if (result.runError) problems.push({ case: job.spec.id, profile: job.profile, check: '(run)', status: 'error', message: result.runError });
    for (const c of result.checks) {
      if (c.status === 'pass' || c.status === 'skipped') continue;
      // A declared warning is excused only under a SHOULD/MAY that says it rests on more than seed text.
      const r = requirements.get(c.requirement);
      const beyondSeed = r !== undefined && r.level !== 'MUST' && (r.source === 'observed' || (r.basis?.length ?? 0) > 0);
      if (c.status === 'warning' && mayWarn.has(c.check) && beyondSeed) {
        excused.add(c.check);
        continue;
      }
      problems.push({ case: job.spec.id, profile: job.profile, check: c.check, status: c.status, message: c.message });
    }
  }
  return problems;
}

function pendingFor(active: readonly Variation[]) {
  const ids = new Set(active.map((v) => v.id));
  return PENDING_AUDIT.filter((p) => ids.has(p.variation));
}

function isPending(problem: Problem, pending: typeof PENDING_AUDIT): boolean {
  return pending.some((p) => (p.case === '*' || p.case === problem.case) && p.check === problem.check);
}

function describeProblem(p: Problem): string {
  return `${p.profile} ${p.case} ${p.check} ${p.status}: ${p.message.slice(0, 300)}`;
}

/** A response as a client sees it, without what changes from run to run (request ids, timestamps, the port). */
function fingerprint(result: CaseResult): string {
  const response = result.exchange?.response;
  if (!response) return `no response: ${result.exchange?.transportError ?? ''}`;
  const { 'apim-request-id': _a, 'x-request-id': _x, date: _d, ...headers } = response.headers;
  const body = response.bodyText.replace(/"created":\s*\d+/g, '"created":0').replace(/127\.0\.0\.1:\d+/g, 'emulator');
  // What decoding hides from the body text (a BOM, the line endings) the stream reader's diagnostics still show.
  const framing = response.sse && { bom: response.sse.diagnostics.bom, lineEndings: response.sse.diagnostics.lineEndings, comments: response.sse.diagnostics.commentCount };
  return JSON.stringify({ status: response.status, headers, body, framing });
}

const key = (job: Job) => `${job.profile} ${job.spec.id}`;

/** The emulator's usual responses (no variation), run once per test file on first use. */
const usual = (() => {
  let pending: Promise<Map<string, string>> | undefined;
  return () => (pending ??= runJobs([], jobsFor()).then((runs) => new Map(runs.map(({ job, result }) => [key(job), fingerprint(result)]))));
})();

export interface MatrixOutcome {
  /** Problems not excused by PENDING_AUDIT: must be none. */
  problems: string[];
  /** PENDING_AUDIT rows of the active variations that did not fail: must be none. */
  stale: typeof PENDING_AUDIT;
  /** How many responses differ from the usual ones. */
  changed: number;
  /** Declared expected warnings that never occurred: must be none (a declaration must not excuse more than happens). */
  unneededWarnings: string[];
}

/** Runs `jobs` with `active` switched on, and judges the outcome. */
export async function runMatrix(active: readonly Variation[], jobs: Job[], { compare = false } = {}): Promise<MatrixOutcome> {
  const runs = await runJobs(
    active.map((v) => v.id),
    jobs,
  );
  const pending = pendingFor(active);
  const excused = new Set<string>();
  const found = problemsOf(runs, active, excused);
  const problems = found.filter((p) => !isPending(p, pending)).map(describeProblem);
  const stale = active.length === 1 ? pending.filter((p) => !found.some((q) => isPending(q, [p]))) : [];
  let changed = 0;
  if (compare) {
    const before = await usual();
    changed = runs.filter(({ job, result }) => before.get(key(job)) !== fingerprint(result)).length;
  }
  const declared = active.length === 1 ? (active[0].expectedWarnings?.checks ?? []) : [];
  return { problems, stale, changed, unneededWarnings: declared.filter((c) => !excused.has(c)) };
}

/** One test per variation: every case run it can change passes under it alone, and it changes at least one response. */
export function eachVariationAlone(variations: readonly Variation[]): void {
  for (const v of variations) {
    const jobs = jobsFor(v);
    it(`${v.id} (${jobs.length} case runs)`, { timeout: HANG_GUARD_MS }, async () => {
      const outcome = await runMatrix([v], jobs, { compare: true });
      expect(outcome.problems).toEqual([]);
      expect(outcome.stale, 'PENDING_AUDIT rows that no longer fail: remove them').toEqual([]);
      expect(outcome.unneededWarnings, 'expectedWarnings that never occur: remove them').toEqual([]);
      expect(outcome.changed, `${v.id} changes no response (a no-op switch)`).toBeGreaterThan(0);
    });
  }
}
