/** Runs a case's checks over a recorded exchange, in order, with the gates' stopping rule. */
import { CHECKS, TRANSPORT_CHECK, TRANSPORT_REQUIREMENT, type CheckOutcome } from '../checks/index.ts';
import type { CaseSpec, CheckResult, Exchange, Level, Status } from '../model.ts';
import { PROFILE_INFO } from '../profiles.ts';
import { SchemaRegistry } from '../schemas/registry.ts';
import type { RunContext } from './run-case.ts';

export async function judge(spec: CaseSpec, ctx: RunContext, exchange: Exchange, requestBody: unknown): Promise<CheckResult[]> {
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
    status: exchange.transportError ? 'fail' : 'pass',
    expected: 'an HTTP response',
    actual: exchange.response ? `HTTP ${exchange.response.status}${exchange.transportError ? ` (${exchange.transportError})` : ''}` : exchange.transportError,
    message: !exchange.transportError ? 'a response arrived' : exchange.response ? `the response broke off after its headers (HTTP ${exchange.response.status}, ${exchange.response.bodyBytes} body bytes): ${exchange.transportError}` : `no response: ${exchange.transportError}`,
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
        outcome = await def.run({ operation: spec.operation, response, requestBody, profile: ctx.target.profile, surface: PROFILE_INFO[ctx.target.profile].schemaSurface, schemas, args: e.args, network: { origin: new URL(ctx.target.endpoint).origin, followExternalUrls: ctx.followExternalUrls === true, dispatcher: ctx.dispatcher } });
      } catch (err) {
        outcome = { ok: 'error', expected: '(check could not run)', actual: String(err), message: `the check itself failed: ${(err as Error).message}` };
      }
    }
    const status: Status = outcome.ok === 'error' ? 'error' : outcome.ok === 'not-evaluated' ? 'skipped' : outcome.ok ? 'pass' : level === 'MUST' ? 'fail' : 'warning';
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
