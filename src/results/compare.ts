/**
 * `--compare PATH`: what changed since an earlier run of the same suite. A regression is a case whose
 * outcome got worse (pass → warning → fail/error); a fix the reverse. Expected failures compare as
 * failures: the baseline excuses a failure, it does not make it go away.
 */
import { InputError } from '../errors.ts';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Status } from '../model.ts';
import { withCurrentIds } from '../renamed.ts';
import type { CaseChange, Comparison, ReportedCase, RunResults } from './model.ts';

/** Higher is worse; skipped is not on the scale (a case that stops applying is a change, not a regression). */
const BADNESS: Partial<Record<Status, number>> = { pass: 0, warning: 1, fail: 2, error: 2 };

export class CompareError extends InputError {}

/** Reads an earlier results.json (the file, or the report directory holding it). */
export function loadPrevious(path: string): RunResults {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'results.json') : path;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CompareError(`--compare ${path}: ${(err as Error).message}`);
  }
  const r = data as Partial<RunResults>;
  if (typeof r !== 'object' || r === null || typeof r.schemaVersion !== 'number' || !Array.isArray(r.cases)) {
    throw new CompareError(`--compare ${path}: not an aoai-conformance results.json`);
  }
  // An earlier version's run may name cases and requirements by ids renamed since (cases/renamed.yaml).
  return withCurrentIds(r as RunResults);
}

function checkChanges(before: ReportedCase, after: ReportedCase, direction: 1 | -1): string[] {
  const old = new Map(before.checks.map((k) => [k.id, k.status]));
  const out: string[] = [];
  for (const k of after.checks) {
    const was = old.get(k.id);
    if (was === undefined || was === k.status) continue;
    const a = BADNESS[was];
    const b = BADNESS[k.status];
    if (a !== undefined && b !== undefined && Math.sign(b - a) === direction) out.push(`${k.id}: ${was} → ${k.status}`);
  }
  return out;
}

export function compareRuns(previous: RunResults, current: RunResults): Comparison {
  const before = new Map(previous.cases.map((c) => [c.id, c]));
  const now = new Set(current.cases.map((c) => c.id));
  const regressions: CaseChange[] = [];
  const fixes: CaseChange[] = [];
  const changed: CaseChange[] = [];
  const added: string[] = [];
  for (const c of current.cases) {
    const p = before.get(c.id);
    if (!p) {
      added.push(c.id);
      continue;
    }
    const a = BADNESS[p.status];
    const b = BADNESS[c.status];
    const change = (checks: string[]): CaseChange => ({ id: c.id, operation: c.operation, before: p.status, after: c.status, checks });
    if (a !== undefined && b !== undefined) {
      // Same case status can still hide a check that newly fails (or newly passes) inside it.
      const worse = checkChanges(p, c, 1);
      const better = checkChanges(p, c, -1);
      if (b > a || (b === a && worse.length)) regressions.push(change(worse));
      else if (b < a || better.length) fixes.push(change(better));
    } else if (p.status !== c.status) {
      changed.push(change([]));
    }
  }
  const removed = previous.cases.filter((c) => !now.has(c.id)).map((c) => c.id);
  return {
    previous: { startedAt: previous.startedAt, version: previous.tool?.version ?? 'unknown', profile: previous.target?.profile, verdict: previous.verdict?.reason ?? '' },
    regressions,
    fixes,
    changed,
    added,
    removed,
  };
}
