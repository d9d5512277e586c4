/**
 * Ids that were renamed (cases/renamed.yaml): requirement and case ids of earlier versions of the suite, as a user's
 * file or an earlier run may still name them (a baseline, `--compare`, shards to merge, `--only`, `--skip`).
 * Whatever reads such an id maps it to the current one; where a person wrote it, the run says so.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CASES_DIR } from './paths.ts';
import type { ReportedCase, RunResults } from './results/model.ts';

export interface Renames {
  /** Old requirement id → current id. */
  requirements: ReadonlyMap<string, string>;
  /** Old case id → current id (twin cases merged into one keep their old ids here). */
  cases: ReadonlyMap<string, string>;
}

/** Beside the cases (src/cases/load.ts skips it when it reads them). */
export const RENAMES_FILE_NAME = 'renamed.yaml';
export const RENAMES_FILE = join(CASES_DIR, RENAMES_FILE_NAME);

const memo = new Map<string, Renames>();

interface Table {
  requirements?: Record<string, string>;
  cases?: Record<string, string>;
}

function readTable(file: string): Table | null {
  try {
    return parse(readFileSync(file, 'utf8')) as Table | null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The rename table; a missing file is an empty table. Memoised: it is read by several commands of one process. */
export function loadRenames(file: string = RENAMES_FILE): Renames {
  let renames = memo.get(file);
  if (!renames) {
    const data = readTable(file);
    renames = { requirements: new Map(Object.entries(data?.requirements ?? {})), cases: new Map(Object.entries(data?.cases ?? {})) };
    memo.set(file, renames);
  }
  return renames;
}

/** The current id of a case id (itself when it was never renamed). */
export function currentCaseId(id: string, renames: Renames = loadRenames()): string {
  return renames.cases.get(id) ?? id;
}

export function currentRequirementId(id: string, renames: Renames = loadRenames()): string {
  return renames.requirements.get(id) ?? id;
}

/** A check result id is `<case>/<check>[#n]`: its case part follows the case's rename. */
function currentCheckId(id: string, renames: Renames): string {
  const slash = id.indexOf('/');
  return slash < 0 ? id : `${currentCaseId(id.slice(0, slash), renames)}${id.slice(slash)}`;
}

/**
 * An earlier run's results with today's ids. Twin cases merged into one were of different profiles, so a run judged
 * at most one of them: of the results that now share an id, the one that was not skipped stands.
 */
export function withCurrentIds(results: RunResults, renames: Renames = loadRenames()): RunResults {
  if (renames.cases.size === 0 && renames.requirements.size === 0) return results;
  const req = (id: string) => currentRequirementId(id, renames);
  const byId = new Map<string, ReportedCase>();
  for (const c of results.cases) {
    const renamed: ReportedCase = {
      ...c,
      id: currentCaseId(c.id, renames),
      requirement: req(c.requirement),
      requirements: [...new Set(c.requirements.map(req))],
      checks: c.checks.map((k) => ({ ...k, id: currentCheckId(k.id, renames), requirement: req(k.requirement) })),
    };
    const kept = byId.get(renamed.id);
    if (!kept || (kept.status === 'skipped' && renamed.status !== 'skipped')) byId.set(renamed.id, renamed);
  }
  const refs = results.requirements && Object.fromEntries(Object.entries(results.requirements).map(([id, ref]) => [req(id), ref]));
  const selection = results.selection && { ...results.selection, planned: [...new Set(results.selection.planned.map((id) => currentCaseId(id, renames)))] };
  return { ...results, cases: [...byId.values()], ...(refs ? { requirements: refs } : {}), ...(selection ? { selection } : {}) };
}

/**
 * Case patterns a person wrote (`--only`, `--skip`, the config's `skip:`), with old case ids replaced by their
 * current ones, and a note for each replaced id.
 */
export function currentPatterns(patterns: string[], renames: Renames = loadRenames()): { patterns: string[]; notes: string[] } {
  const notes: string[] = [];
  const out = patterns.map((p) => {
    const now = renames.cases.get(p);
    if (now === undefined) return p;
    notes.push(`case ${p} was renamed ${now}: ${now} is used`);
    return now;
  });
  return { patterns: out, notes };
}
