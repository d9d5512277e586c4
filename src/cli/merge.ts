/** `aoai-conformance merge DIR...`: one report from the shards' report directories (or results.json files). */
import { resolve } from 'node:path';
import { loadPrevious } from '../results/compare.ts';
import { computeCoverage } from '../results/coverage.ts';
import { OFFICIAL_CLIENT_REQUIREMENT } from '../judges/index.ts';
import { mergeRuns, readResults } from '../results/merge.ts';
import type { CaseSpec } from '../model.ts';
import { EXIT_INCOMPLETE } from '../results/model.ts';
import { catalogue } from './catalogue.ts';
import { type CommandSpec, parse, str, UsageError } from './options.ts';
import { baselineOption, reportDirOption } from './shared.ts';

const SPEC: CommandSpec = {
  name: 'merge',
  usage: 'merge DIR... [options]',
  summary: 'Merge the reports of the shards of one run (each DIR a report directory or a results.json) into one report, and exit as that run would.',
  options: {
    'report-dir': { type: 'string', value: 'DIR', help: 'where the merged reports go (default conformance-report/)' },
    baseline: { type: 'string', value: 'FILE', help: 'expected failures (YAML) to apply to the merged run' },
    compare: { type: 'string', value: 'PATH', help: 'an earlier results.json (or its directory): report regressions and fixes' },
  },
};

async function run(args: string[]): Promise<number> {
  const { values: o, positionals } = parse(SPEC, args);
  if (positionals.length === 0) throw new UsageError('merge what? name the report directories (or results.json files) of the shards');
  const runs = positionals.map((p) => readResults(resolve(p)));
  const { draft, baseline: combined } = mergeRuns(runs);
  const { requirements, cases: allCases } = await catalogue();
  const specs = new Map(allCases.map((c) => [c.id, c]));
  const ran = draft.cases.filter((c) => c.status !== 'skipped').map((c) => specs.get(c.id)).filter((c): c is CaseSpec => c !== undefined);
  draft.coverage = computeCoverage(ran, requirements, draft.target.profile, draft.target.sdkJudge ? [OFFICIAL_CLIENT_REQUIREMENT] : []);
  const baselinePath = str(o, 'baseline');
  const comparePath = str(o, 'compare');
  const baseline = baselinePath === undefined ? undefined : await baselineOption(baselinePath, allCases);
  const previous = comparePath === undefined ? undefined : loadPrevious(resolve(comparePath));
  const { finishResults } = await import('../results/build.ts');
  const { writeReports } = await import('../../reporters/write.ts');
  const { renderSummary } = await import('../../reporters/summary.ts');
  const results = finishResults(draft, { baseline, baselineReport: combined, previous });
  const reportDir = reportDirOption(str(o, 'report-dir'));
  const problems = await writeReports(results, reportDir);
  for (const p of problems) console.error(`aoai-conformance: could not write ${p}`);
  console.log(renderSummary(results, reportDir));
  return problems.length ? EXIT_INCOMPLETE : results.verdict.exitCode;
}

export const MERGE = { spec: SPEC, run };
