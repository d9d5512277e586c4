/**
 * `aoai-conformance merge DIR...`: one run's results from the results.json of its shards. The shards
 * must describe the same run (profile, faults, filters, shard count); a missing shard makes the merged
 * run incomplete (exit 2), a shard given twice or a case in two shards is an error.
 */
import { InputError } from '../errors.ts';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultsDraft } from './build.ts';
import type { BaselineEntryReport, BaselineReport, ReportedCase, RunResults, Shard } from './model.ts';
import { RESULTS_SCHEMA_VERSION } from './model.ts';
import { formatShard } from './shard.ts';
import { withCurrentIds } from '../renamed.ts';
import { isForOtherProfiles } from '../engine/applicable.ts';

export class MergeError extends InputError {}

export function readResults(path: string): RunResults {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'results.json') : path;
  let data: RunResults;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as RunResults;
  } catch (err) {
    throw new MergeError(`${file}: ${(err as Error).message}`);
  }
  if (data?.schemaVersion !== RESULTS_SCHEMA_VERSION || !Array.isArray(data.cases) || !data.selection) {
    throw new MergeError(`${file}: not a results.json of schemaVersion ${RESULTS_SCHEMA_VERSION} (got ${JSON.stringify(data?.schemaVersion)})`);
  }
  // Shards written by an earlier version may name cases and requirements by ids renamed since (cases/renamed.yaml).
  return withCurrentIds(data);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function normalisedFilters(r: RunResults): unknown {
  const f = r.selection.filters;
  return { only: [...(f.only ?? [])].sort(), operations: [...(f.operations ?? [])].sort(), levels: [...(f.levels ?? [])].sort() };
}

/** Per entry, the most telling state any shard saw: expired, then excused, then stale, then not-run. */
function combineBaselines(reports: BaselineReport[]): BaselineReport {
  const first = reports[0];
  for (const b of reports) {
    if (b.file !== first.file || b.entries.length !== first.entries.length) throw new MergeError(`the shards used different baselines (${first.file}, ${b.file})`);
  }
  const rank: Record<BaselineEntryReport['state'], number> = { expired: 0, excused: 1, stale: 2, 'not-run': 3 };
  const entries = first.entries.map((_, i) => reports.map((b) => b.entries[i]).sort((x, y) => rank[x.state] - rank[y.state])[0]);
  const counts: BaselineReport['counts'] = { excused: 0, stale: 0, expired: 0, 'not-run': 0 };
  for (const e of entries) counts[e.state]++;
  return { file: first.file, entries, counts };
}

export interface Merged {
  draft: ResultsDraft;
  /** The shards' combined baseline outcome, when they ran with one. */
  baseline?: BaselineReport;
}

export function mergeRuns(runs: RunResults[]): Merged {
  if (runs.length === 0) throw new MergeError('nothing to merge');
  const first = runs[0];
  for (const r of runs.slice(1)) {
    if (r.target.profile !== first.target.profile) throw new MergeError(`the runs are of different profiles (${first.target.profile}, ${r.target.profile}): merge each profile separately`);
    if (r.target.emulator !== first.target.emulator || (!r.target.emulator && r.target.endpoint !== first.target.endpoint)) {
      throw new MergeError(`the runs are against different targets (${first.target.endpoint}, ${r.target.endpoint})`);
    }
    if (!same([...r.target.faults].sort(), [...first.target.faults].sort())) throw new MergeError('the runs switched on different emulator faults');
    if (!same(normalisedFilters(r), normalisedFilters(first))) throw new MergeError('the runs selected cases with different filters (--only, --operation, --level)');
  }

  const runErrors: string[] = [];
  const shards = runs.map((r) => r.selection.shard ?? null);
  const sharded = shards.filter((s): s is Shard => s !== null);
  if (sharded.length) {
    const count = sharded[0].count;
    if (sharded.some((s) => s.count !== count) || sharded.length !== runs.length) throw new MergeError(`the runs are not shards of one split: ${shards.map((s) => (s ? formatShard(s) : 'unsharded')).join(', ')}`);
    const seen = new Set<number>();
    for (const s of sharded) {
      if (seen.has(s.index)) throw new MergeError(`shard ${formatShard(s)} is given twice`);
      seen.add(s.index);
    }
    for (let i = 1; i <= count; i++) if (!seen.has(i)) runErrors.push(`shard ${i}/${count} is missing: its cases are not in this report`);
  }

  const cases: ReportedCase[] = [];
  const owner = new Map<string, number>();
  runs.forEach((r, n) => {
    const tag = r.selection.shard ? `shard ${formatShard(r.selection.shard)}` : `run ${n + 1}`;
    for (const e of r.runErrors) runErrors.push(`${tag}: ${e}`);
    for (const c of r.cases) {
      const at = owner.get(c.id);
      if (at !== undefined) {
        // Twin cases of different profiles, now one case (cases/renamed.yaml), may come from two shards of an earlier
        // version: the one the run's profile did not apply to gives way. Any other case in two runs is an error.
        const other = cases.findIndex((x) => x.id === c.id);
        const inapplicable = (x: ReportedCase) => x.status === 'skipped' && isForOtherProfiles(x.skipReason);
        if (inapplicable(cases[other]) !== inapplicable(c)) {
          if (inapplicable(cases[other])) cases[other] = c;
          continue;
        }
        throw new MergeError(`case ${c.id} is in two of the runs`);
      }
      owner.set(c.id, n);
      cases.push(c);
    }
  });

  const planned = [...new Set(runs.flatMap((r) => r.selection.planned))].sort();
  const startedAt = runs.map((r) => r.startedAt).sort()[0];
  const finishedAt = runs.map((r) => r.finishedAt).sort().at(-1)!;
  const baselines = runs.map((r) => r.baseline).filter((b): b is BaselineReport => b !== undefined);
  if (baselines.length && baselines.length !== runs.length) throw new MergeError('some runs used a baseline and some did not');

  return {
    draft: {
      tool: first.tool,
      startedAt,
      finishedAt,
      // Shards run side by side: the merged run took as long as its slowest shard.
      durationMs: Math.max(...runs.map((r) => r.durationMs ?? 0)),
      target: first.target,
      selection: { filters: first.selection.filters, planned },
      merged: { shards, runs: runs.length },
      runErrors,
      requirements: Object.fromEntries(runs.flatMap((r) => Object.entries(r.requirements ?? {})).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      cases,
    },
    ...(baselines.length ? { baseline: combineBaselines(baselines) } : {}),
  };
}
