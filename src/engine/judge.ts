/**
 * Runs a case's checks over a recorded exchange, in order. A failed precondition stops only the checks that
 * cannot be evaluated on what arrived (see CheckOutcome.stops), and a defect several checks see is reported once.
 */
import { CHECKS, DERIVE_CHECK, TRANSPORT_CHECK, TRANSPORT_REQUIREMENT, type CheckDefinition, type CheckOutcome } from '../checks/index.ts';
import type { CaseSpec, CheckResult, Exchange, Level, RecordedResponse, Status } from '../model.ts';
import { PROFILE_INFO } from '../profiles.ts';
import { requirementFor } from '../requirements.ts';
import { SchemaRegistry } from '../schemas/registry.ts';
import type { RunContext } from './run-case.ts';

/** A precondition that failed, and which later checks it stops: all, all but the header checks, or the whole-stream ones. */
interface Stop {
  scope: 'all' | 'body' | 'whole-stream';
  reason: string;
}

export async function judge(spec: CaseSpec, ctx: RunContext, exchange: Exchange, requestBody: unknown): Promise<CheckResult[]> {
  const levelOf = (requirement: string): Level => {
    const r = ctx.requirements.get(requirement);
    return r ? requirementFor(r, ctx.target.profile).level : spec.level;
  };
  const ids = new Map<string, number>();
  const idFor = (check: string) => {
    const n = (ids.get(check) ?? 0) + 1;
    ids.set(check, n);
    return `${spec.id}/${check}${n > 1 ? `#${n}` : ''}`;
  };
  const skipAll = (reason: string) => spec.expect.map((e) => notEvaluated(idFor(e.check), e.check, e.requirement, levelOf(e.requirement), reason));
  const transport = transportCheck(spec, exchange);
  if (!exchange.response) return [transport, ...skipAll('no response was received')];
  if (exchange.underivable !== undefined) {
    const derive: CheckResult = { id: `${spec.id}/${DERIVE_CHECK}`, check: DERIVE_CHECK, requirement: spec.requirement, level: spec.level, status: 'error', expected: 'a first answer to derive the request from', actual: `HTTP ${exchange.response.status}`, message: `the request could not be derived, so the case is not judged: ${exchange.underivable}` };
    return [transport, derive, ...skipAll('not evaluated: the request could not be derived from the first answer')];
  }
  const response = exchange.response;
  const schemas = ctx.schemas ?? SchemaRegistry.shared();
  const results: CheckResult[] = [transport];
  const findings = new Map<CheckResult, string[]>();
  const stops: Stop[] = cutShort(response);
  for (const e of spec.expect) {
    const def = CHECKS.get(e.check)!;
    const level = levelOf(e.requirement);
    const id = idFor(e.check);
    const stop = stops.find((s) => stopsCheck(s, def));
    if (stop) {
      results.push(notEvaluated(id, e.check, e.requirement, level, stop.reason));
      continue;
    }
    let outcome: CheckOutcome;
    if (def.needsJson && response.json === undefined) {
      outcome = notJson(response);
    } else {
      try {
        outcome = await def.run({ operation: spec.operation, response, requestBody, profile: ctx.target.profile, surface: PROFILE_INFO[ctx.target.profile].schemaSurface, schemas, args: e.args, network: { origin: new URL(ctx.target.endpoint).origin, followExternalUrls: ctx.followExternalUrls === true, dispatcher: ctx.dispatcher } });
      } catch (err) {
        outcome = { ok: 'error', expected: '(check could not run)', actual: String(err), message: `the check itself failed: ${(err as Error).message}` };
      }
    }
    const status: Status = outcome.ok === 'error' ? 'error' : outcome.ok === 'not-evaluated' ? 'skipped' : outcome.ok ? 'pass' : level === 'MUST' ? 'fail' : 'warning';
    const result: CheckResult = { id, check: e.check, requirement: e.requirement, level, status, expected: outcome.expected, actual: outcome.actual, message: outcome.message };
    results.push(result);
    if (outcome.findings?.length) findings.set(result, outcome.findings);
    if (def.gate && (status === 'fail' || status === 'warning') && outcome.stops) stops.push({ scope: outcome.stops, reason: `not evaluated: ${e.check} ${status === 'fail' ? 'failed' : 'warned'} (${outcome.message})` });
  }
  reportEachFindingOnce(results, findings);
  return results;
}

function transportCheck(spec: CaseSpec, exchange: Exchange): CheckResult {
  const { response, transportError, timings } = exchange;
  const base = { id: `${spec.id}/${TRANSPORT_CHECK}`, check: TRANSPORT_CHECK, requirement: TRANSPORT_REQUIREMENT, level: 'MUST' as const, expected: 'an HTTP response' };
  if (!transportError) return { ...base, status: 'pass', actual: response ? `HTTP ${response.status}` : '(none)', message: 'a response arrived' };
  if (!response) return { ...base, status: 'fail', actual: transportError, message: `no response: ${transportError}` };
  // Something arrived: say what and when, so the report shows the status and the partial body, not "no response".
  const when = timings.headersMs === undefined ? '' : ` after ${Math.round(timings.headersMs)} ms`;
  return {
    ...base,
    status: 'fail',
    actual: `HTTP ${response.status} (${transportError})`,
    message: `HTTP ${response.status} arrived${when}, then the body broke off after ${response.bodyBytes} byte(s) and ${Math.round(timings.totalMs)} ms: ${transportError}`,
  };
}

/** A body that broke off stops the checks that read it (a stream's whole-stream checks, any other body's body checks). */
function cutShort(response: RecordedResponse): Stop[] {
  if (response.incomplete === undefined) return [];
  const reason = `not evaluated: the body did not arrive whole (${response.incomplete})`;
  return [{ scope: response.sse ? 'whole-stream' : 'body', reason }];
}

function stopsCheck(stop: Stop, def: CheckDefinition): boolean {
  if (stop.scope === 'whole-stream') return def.wholeStream === true;
  return stop.scope === 'all' || !def.headersOnly;
}

/** A JSON check on a body that is not JSON: one finding, however many JSON checks the case has. */
function notJson(response: RecordedResponse): CheckOutcome {
  const empty = response.bodyText.trim() === '' && !response.truncated;
  return {
    ok: false,
    expected: 'a JSON body',
    actual: empty ? '(empty body)' : response.bodyText.slice(0, 200),
    message: empty ? `the HTTP ${response.status} response has an empty body: no JSON document at all` : `the body is not JSON (${response.jsonError})`,
    findings: ['body-not-json'],
  };
}

const SEVERITY: Partial<Record<Status, number>> = { fail: 2, warning: 1 };

/**
 * Of the failures that report the same defects, keeps the most severe, then the one that reports the most, then
 * the first; a failure whose findings are all reported by a kept one is recorded as not evaluated, naming the
 * check and requirement that report it. A failure at a stricter level is never folded into a laxer one.
 */
function reportEachFindingOnce(results: CheckResult[], findings: Map<CheckResult, string[]>): void {
  const failed = [...findings.keys()].filter((r) => SEVERITY[r.status]);
  const order = failed
    .map((r, i) => ({ r, i }))
    .sort((a, b) => SEVERITY[b.r.status]! - SEVERITY[a.r.status]! || findings.get(b.r)!.length - findings.get(a.r)!.length || a.i - b.i);
  const reportedBy = new Map<string, CheckResult>();
  for (const { r } of order) {
    const own = findings.get(r)!;
    if (own.every((f) => reportedBy.has(f))) {
      const by = reportedBy.get(own[0])!;
      const at = results.indexOf(r);
      results[at] = { ...notEvaluated(r.id, r.check, r.requirement, r.level, `not reported twice: the same defect is reported by ${by.check} under ${by.requirement} (${r.message})`), expected: r.expected, actual: r.actual };
    } else {
      for (const f of own) if (!reportedBy.has(f)) reportedBy.set(f, r);
    }
  }
}

function notEvaluated(id: string, check: string, requirement: string, level: Level, reason: string): CheckResult {
  return { id, check, requirement, level, status: 'skipped', expected: null, actual: null, message: reason };
}

/** A case fails when a MUST check fails; otherwise errors, then warnings, decide. */
export function aggregate(statuses: Status[]): Status {
  for (const s of ['fail', 'error', 'warning'] as const) if (statuses.includes(s)) return s;
  return statuses.length && statuses.every((s) => s === 'skipped') ? 'skipped' : 'pass';
}
