/** `aoai-conformance report allure|html`: render reports from a finished run's results. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPORT_FILES } from '../../reporters/files.ts';
import { readResults } from '../results/merge.ts';
import { EXIT_INCOMPLETE, EXIT_OK } from '../results/model.ts';
import { type CommandSpec, parse, str, UsageError } from './options.ts';

const SPEC: CommandSpec = {
  name: 'report',
  usage: 'report allure|html [options]',
  summary: 'allure: a single-file Allure 3 report (DIR/allure-report.html) from the run\'s allure-results/, no analytics. html: re-render report.html and junit.xml from DIR/results.json (e.g. after upgrading the tool).',
  options: {
    'report-dir': { type: 'string', value: 'DIR', help: 'the run\'s report directory (default conformance-report/)' },
    output: { type: 'string', value: 'PATH', help: 'allure: the HTML file to write; html: the directory to write to' },
  },
};

async function run(args: string[]): Promise<number> {
  const { values: o, positionals } = parse(SPEC, args);
  const what = positionals[0];
  const reportDir = resolve(str(o, 'report-dir') ?? 'conformance-report');
  const output = str(o, 'output');
  if (what === 'allure') {
    const resultsDir = resolve(reportDir, REPORT_FILES.allureResults);
    if (!existsSync(resultsDir)) throw new UsageError(`no Allure results in ${resultsDir}: run \`aoai-conformance run --report-dir ${reportDir}\` first`);
    const { generateAllureReport } = await import('../../reporters/allure-report.ts');
    const out = resolve(output ?? resolve(reportDir, REPORT_FILES.allureReport));
    await generateAllureReport(resultsDir, out);
    console.log(`aoai-conformance: Allure report written to ${out}`);
    return EXIT_OK;
  }
  if (what === 'html') {
    const results = readResults(reportDir);
    const { writeReports } = await import('../../reporters/write.ts');
    const problems = await writeReports(results, output ? resolve(output) : reportDir);
    for (const p of problems) console.error(`aoai-conformance: could not write ${p}`);
    return problems.length ? EXIT_INCOMPLETE : EXIT_OK;
  }
  throw new UsageError(`report what? allure or html (got ${what === undefined ? 'nothing' : `"${what}"`})`);
}

export const REPORT = { spec: SPEC, run };
