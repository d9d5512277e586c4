/**
 * aoai-conformance command line.
 *   run        run the suite against --endpoint (or the embedded emulator) and write the report
 *   emulator   run the reference emulator standalone on 127.0.0.1
 *   merge      merge the results.json of shards (--shard i/n) into one report
 *   report     render a report from results: `report allure` (single-file Allure 3 HTML), `report html`
 *   list       list cases, requirements, checks or faults
 * Exit codes: 0 no unexcused MUST failure · 1 an unexcused MUST failure or a stale/expired baseline entry ·
 * 2 usage/configuration error or incomplete run.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FAULTS } from '../emulator/faults.ts';
import { DEFAULT_DEPLOYMENTS, startEmulator, type RunningEmulator } from '../emulator/server.ts';
import { CaseLoadError, loadCases, loadRequirements } from './cases/load.ts';
import { BaselineError, loadBaseline, type Baseline } from './baseline.ts';
import { CHECKS, TRANSPORT_CHECK } from './checks/index.ts';
import { CompareError, loadPrevious } from './compare.ts';
import { computeCoverage } from './coverage.ts';
import { MergeError, mergeRuns, readResults } from './merge.ts';
import { LEVELS, OPERATIONS, PROFILES, type CaseSpec, type Level, type OperationId, type ProfileName } from './model.ts';
import { PROFILE_INFO } from './profiles.ts';
import { EXIT_INCOMPLETE, EXIT_OK, type Shard } from './results.ts';
import { DEFAULT_CONCURRENCY, DEFAULT_REPEAT, RUN_CONFIG_ENV, type RunConfig, selectCases } from './run-config.ts';
import { inShard, parseShard, SHARD_ENV } from './shard.ts';
import { loadTargetConfig, type TargetConfig } from './target-config.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS, targetFor } from './target.ts';
import type { Reporter } from 'vitest/node';
import { ALLURE_ENV, ALLURE_RESULTS_DIR } from '../reporters/allure.ts';
import { renderSummary } from '../reporters/summary.ts';

export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const VERSION = (JSON.parse(readFileSync(resolve(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

class UsageError extends Error {}

const HELP = `aoai-conformance ${VERSION} — contract conformance for Azure OpenAI-style inference servers

Usage:
  aoai-conformance run [options]        (in the repo: npm run conformance -- [options])
  aoai-conformance emulator [options]   (in the repo: npm run emulator -- [options])
  aoai-conformance merge DIR... [--report-dir OUT] [--baseline FILE] [--compare PATH]
  aoai-conformance report allure|html [--report-dir DIR] [--output FILE]
  aoai-conformance list [cases|requirements|checks|faults] [--only ID] [--operation OP] [--level L] [--shard i/n]

run options:
  --profile P          azure-openai | model-inference | openai (default azure-openai)
  --endpoint URL       the target's base URL; omitted: the embedded emulator is started and used
  --api-key-env NAME   environment variable holding the credential
                       (default AZURE_OPENAI_API_KEY, or OPENAI_API_KEY for --profile openai)
  --deployment NAME    deployment (azure-openai) or model (others) used for every capability
  --report-dir DIR     where report.html, results.json, junit.xml and allure-results/ go
                       (default conformance-report/)
  --only ID            run only this case (repeatable)
  --operation OP       run only this operation's cases (repeatable): ${OPERATIONS.join(', ')}
  --level L            run only cases of this level (repeatable): MUST, SHOULD, MAY
  --shard i/n          run only the i-th of n equal parts of the selected cases (merge them with \`merge\`)
  --baseline FILE      expected failures (YAML, docs/reports.md): listed failures do not fail the run;
                       a listed failure that now passes, or an expired entry, does
  --compare PATH       an earlier results.json (or its directory): report regressions and fixes
  --concurrency N      requests in flight at once (default ${DEFAULT_CONCURRENCY})
  --timeout MS         per-request timeout in milliseconds (default ${DEFAULT_REQUEST_TIMEOUT_MS})
  --fault ID           with the embedded emulator only: switch on an emulator fault (repeatable)
  --config FILE        a target config (YAML): deployments per capability, features switched off,
                       run settings; options given on the command line win (docs/target-config.md)
  --repeat K           runs of each case whose outcome depends on the model (default ${DEFAULT_REPEAT})
  --max-requests N     request budget for the whole run; cases beyond it are skipped
  --no-allure          do not write allure-results/

emulator options:
  --port N  --key K (default: the value of $AZURE_OPENAI_API_KEY)  --fault ID (repeatable)  --list-faults

The credential is read from the environment only; it is never accepted on the command line,
and it never appears in a report, a log or the terminal.
Exit codes: 0 no MUST requirement failed (or every failure is in the baseline), 1 a MUST requirement
failed or a baseline entry is stale or expired, 2 usage/configuration error or incomplete run.`;

const RUN_OPTIONS = {
  profile: { type: 'string' },
  endpoint: { type: 'string' },
  'api-key-env': { type: 'string' },
  deployment: { type: 'string' },
  'report-dir': { type: 'string' },
  only: { type: 'string', multiple: true },
  operation: { type: 'string', multiple: true },
  level: { type: 'string', multiple: true },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  fault: { type: 'string', multiple: true },
  config: { type: 'string' },
  repeat: { type: 'string' },
  'max-requests': { type: 'string' },
  shard: { type: 'string' },
  baseline: { type: 'string' },
  compare: { type: 'string' },
  'no-allure': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

const MERGE_OPTIONS = {
  'report-dir': { type: 'string' },
  baseline: { type: 'string' },
  compare: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

const REPORT_OPTIONS = {
  'report-dir': { type: 'string' },
  output: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

const LIST_OPTIONS = {
  only: { type: 'string', multiple: true },
  operation: { type: 'string', multiple: true },
  level: { type: 'string', multiple: true },
  shard: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

const EMULATOR_OPTIONS = {
  port: { type: 'string' },
  key: { type: 'string' },
  fault: { type: 'string', multiple: true },
  'list-faults': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  if (args.some((a) => a === '--api-key' || a.startsWith('--api-key='))) {
    throw new UsageError('the key is never accepted on the command line: put it in an environment variable and name it with --api-key-env');
  }
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

function oneOf<T extends string>(name: string, values: string[] | undefined, allowed: readonly T[]): T[] | undefined {
  for (const v of values ?? []) if (!allowed.includes(v as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${v}"`);
  return values as T[] | undefined;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await run(rest);
      case 'emulator':
        return await emulator(rest);
      case 'list':
        return list(rest);
      case 'merge':
        return await merge(rest);
      case 'report':
        return await report(rest);
      case '--version':
        console.log(VERSION);
        return EXIT_OK;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(HELP);
        return command === undefined ? EXIT_INCOMPLETE : EXIT_OK;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof BaselineError || err instanceof CompareError || err instanceof MergeError) {
      console.error(`aoai-conformance: ${err.message}`);
      return EXIT_INCOMPLETE;
    }
    if (err instanceof UsageError || err instanceof CaseLoadError) {
      console.error(`aoai-conformance: ${err.message}`);
      if (err instanceof UsageError) console.error('Run `aoai-conformance --help` for usage.');
      return EXIT_INCOMPLETE;
    }
    throw err;
  }
}

async function run(args: string[]): Promise<number> {
  const { values: o } = parse(args, RUN_OPTIONS);
  if (o.help) {
    console.log(HELP);
    return EXIT_OK;
  }
  let file: TargetConfig = {};
  if (o.config !== undefined) {
    try {
      file = loadTargetConfig(resolve(o.config));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const profile = (o.profile ?? file.profile ?? 'azure-openai') as ProfileName;
  if (!PROFILES.includes(profile)) throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}, got "${o.profile}"`);
  const apiKeyEnv = o['api-key-env'] ?? file.apiKeyEnv ?? PROFILE_INFO[profile].defaultKeyEnv;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(apiKeyEnv)) throw new UsageError(`--api-key-env must name an environment variable, got "${apiKeyEnv}"`);
  const filters = {
    only: o.only,
    operations: oneOf<OperationId>('operation', o.operation, OPERATIONS),
    levels: oneOf<Level>('level', o.level, LEVELS),
  };
  const requestTimeoutMs = positiveInt('timeout', o.timeout, file.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  const concurrency = positiveInt('concurrency', o.concurrency, file.concurrency ?? DEFAULT_CONCURRENCY);
  const repeat = positiveInt('repeat', o.repeat, file.repeat ?? DEFAULT_REPEAT);
  const maxRequests = o['max-requests'] === undefined && file.maxRequests === undefined ? undefined : positiveInt('max-requests', o['max-requests'], file.maxRequests ?? 1);
  const reportDir = reportDirOption(o['report-dir']);
  const faults = o.fault ?? [];
  for (const f of faults) if (!FAULTS.some((x) => x.id === f)) throw new UsageError(`unknown fault "${f}" (see aoai-conformance list faults)`);
  const disabledFeatures = Object.entries(file.features ?? {})
    .filter(([, on]) => on === false)
    .map(([name]) => name);
  const shard = shardOption(o.shard);
  const requirements = loadRequirements();
  const allCases = loadCases(undefined, requirements);
  const planned = inShard(selectCases(allCases, filters), shard);
  if (planned.length === 0) throw new UsageError(`no case matches the selection${shard ? ` in shard ${o.shard}` : ''} (see aoai-conformance list cases)`);
  const baseline = o.baseline === undefined ? undefined : baselineOption(o.baseline, allCases);
  const previous = o.compare === undefined ? undefined : loadPrevious(resolve(o.compare));

  let endpoint = o.endpoint ?? file.endpoint;
  let deployment = o.deployment ?? file.deployment;
  let emu: RunningEmulator | undefined;
  if (endpoint === undefined) {
    // The embedded emulator: it accepts the key from the environment if there is one, else a fresh random one.
    process.env[apiKeyEnv] ||= `emu-${randomBytes(16).toString('hex')}`;
    deployment ??= DEFAULT_DEPLOYMENTS[0];
    const named = [deployment, ...Object.values(file.deployments ?? {})].filter((d): d is string => typeof d === 'string');
    emu = await startEmulator({ key: process.env[apiKeyEnv]!, faults, deployments: [...new Set([...DEFAULT_DEPLOYMENTS, ...named])] });
    endpoint = emu.url;
  } else {
    if (faults.length) throw new UsageError('--fault applies only to the embedded emulator (omit --endpoint)');
    try {
      new URL(endpoint);
    } catch {
      throw new UsageError(`--endpoint is not a URL: "${endpoint}"`);
    }
    const someDeployment = deployment ?? Object.values(file.deployments ?? {}).find((d) => typeof d === 'string');
    if (!someDeployment) throw new UsageError(`--deployment is required with --endpoint (the ${profile === 'azure-openai' ? 'deployment' : 'model'} to test), or name one per capability in --config`);
    if (!process.env[apiKeyEnv]) throw new UsageError(`the environment variable ${apiKeyEnv} is empty: put the target's credential in it (or name another with --api-key-env)`);
  }

  try {
    const target = targetFor({ profile, endpoint, deployment: deployment ?? '', deployments: file.deployments, apiKeyEnv, emulator: emu !== undefined, faults, requestTimeoutMs, disabledFeatures });
    const config: RunConfig = { target, reportDir, concurrency, filters, repeat, maxRequests };
    const { ConformanceReporter } = await import('../reporters/conformance-reporter.ts');
    const reporter = new ConformanceReporter({
      reportDir,
      target,
      filters,
      shard,
      planned,
      requirements,
      version: VERSION,
      secrets: [process.env[apiKeyEnv]!],
      baseline,
      previous,
    });
    await runVitest(config, reporter, { shard, allure: !o['no-allure'], operations: [...new Set(planned.map((c) => c.operation))] });
    const results = reporter.results;
    if (!results) {
      console.error('aoai-conformance: the run did not complete: no results were produced');
      return EXIT_INCOMPLETE;
    }
    for (const p of reporter.writeProblems) console.error(`aoai-conformance: could not write ${p}`);
    console.log(renderSummary(results, reportDir, o['no-allure'] ? [] : [`${resolve(reportDir, ALLURE_RESULTS_DIR)}/ (npm run report:allure -- --report-dir ${reportDir})`]));
    return reporter.writeProblems.length ? EXIT_INCOMPLETE : results.verdict.exitCode;
  } finally {
    await emu?.close();
  }
}

/** The report directory, created now: a path that cannot hold the reports is a usage error, not a lost run. */
function reportDirOption(path: string | undefined): string {
  const dir = resolve(path ?? 'conformance-report');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UsageError(`--report-dir ${dir}: ${(err as Error).message}`);
  }
  return dir;
}

function shardOption(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  try {
    return parseShard(text);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function baselineOption(path: string, cases: CaseSpec[]): Baseline {
  return loadBaseline(resolve(path), { cases: new Set(cases.map((c) => c.id)), checks: new Set([...CHECKS.keys(), TRANSPORT_CHECK]) });
}

/** The suite file of an operation: suites/<operation with dots as dashes>.test.ts. */
export function suiteFile(operation: OperationId): string {
  return `suites/${operation.replace(/\./g, '-')}.test.ts`;
}

async function runVitest(config: RunConfig, reporter: Reporter, opts: { shard?: Shard; allure: boolean; operations: OperationId[] }): Promise<void> {
  const { startVitest } = await import('vitest/node');
  // The workers read the run from the environment: the target (never the key), the shard, whether to label for Allure.
  process.env[RUN_CONFIG_ENV] = JSON.stringify(config);
  if (opts.shard) process.env[SHARD_ENV] = `${opts.shard.index}/${opts.shard.count}`;
  else delete process.env[SHARD_ENV];
  const reporters: Reporter[] = [reporter];
  const allureDir = resolve(config.reportDir, ALLURE_RESULTS_DIR);
  // A previous run's results would be mixed into this one's Allure report.
  rmSync(allureDir, { recursive: true, force: true });
  if (opts.allure) {
    const { default: AllureReporter } = await import('allure-vitest/reporter');
    reporters.push(new AllureReporter({ resultsDir: allureDir }) as unknown as Reporter);
    process.env[ALLURE_ENV] = '1';
  } else {
    delete process.env[ALLURE_ENV];
  }
  // Only the suites with selected cases: a suite left with no test is an error to vitest.
  const files = opts.operations.map(suiteFile);
  for (const f of files) if (!existsSync(resolve(PACKAGE_ROOT, f))) throw new Error(`${f} is missing: every operation has a suite file`);
  const vitest = await startVitest('test', files, { config: resolve(PACKAGE_ROOT, 'vitest.conformance.config.ts'), root: PACKAGE_ROOT, watch: false, reporters });
  await vitest.close();
}

async function merge(args: string[]): Promise<number> {
  const { values: o, positionals } = parse(args, MERGE_OPTIONS);
  if (o.help) {
    console.log(HELP);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError('merge what? name the report directories (or results.json files) of the shards');
  const runs = positionals.map((p) => readResults(resolve(p)));
  const { draft, baseline: combined } = mergeRuns(runs);
  const requirements = loadRequirements();
  const allCases = loadCases(undefined, requirements);
  const specs = new Map(allCases.map((c) => [c.id, c]));
  const ran = draft.cases.filter((c) => c.status !== 'skipped').map((c) => specs.get(c.id)).filter((c): c is CaseSpec => c !== undefined);
  draft.coverage = computeCoverage(ran, requirements, draft.target.profile);
  const baseline = o.baseline === undefined ? undefined : baselineOption(o.baseline, allCases);
  const previous = o.compare === undefined ? undefined : loadPrevious(resolve(o.compare));
  const { finishResults } = await import('../reporters/build.ts');
  const { writeReports } = await import('../reporters/write.ts');
  const results = finishResults(draft, { baseline, baselineReport: combined, previous });
  const reportDir = reportDirOption(o['report-dir']);
  const problems = await writeReports(results, reportDir);
  for (const p of problems) console.error(`aoai-conformance: could not write ${p}`);
  console.log(renderSummary(results, reportDir));
  return problems.length ? EXIT_INCOMPLETE : results.verdict.exitCode;
}

async function report(args: string[]): Promise<number> {
  const { values: o, positionals } = parse(args, REPORT_OPTIONS);
  const what = positionals[0];
  if (o.help) {
    console.log(HELP);
    return EXIT_OK;
  }
  const reportDir = resolve(o['report-dir'] ?? 'conformance-report');
  if (what === 'allure') {
    const resultsDir = resolve(reportDir, ALLURE_RESULTS_DIR);
    if (!existsSync(resultsDir)) throw new UsageError(`no Allure results in ${resultsDir}: run \`aoai-conformance run --report-dir ${reportDir}\` first`);
    const { generateAllureReport } = await import('../reporters/allure-report.ts');
    const out = resolve(o.output ?? resolve(reportDir, 'allure-report.html'));
    await generateAllureReport(resultsDir, out);
    console.log(`aoai-conformance: Allure report written to ${out}`);
    return EXIT_OK;
  }
  if (what === 'html') {
    // Re-renders report.html (and junit.xml) from results.json, e.g. after upgrading the tool.
    const results = readResults(reportDir);
    const { writeReports } = await import('../reporters/write.ts');
    const problems = await writeReports(results, o.output ? resolve(o.output) : reportDir);
    for (const p of problems) console.error(`aoai-conformance: could not write ${p}`);
    return problems.length ? EXIT_INCOMPLETE : EXIT_OK;
  }
  throw new UsageError(`report what? allure or html (got ${what === undefined ? 'nothing' : `"${what}"`})`);
}

async function emulator(args: string[]): Promise<number> {
  const { values: o } = parse(args, EMULATOR_OPTIONS);
  if (o.help) {
    console.log(HELP);
    return EXIT_OK;
  }
  if (o['list-faults']) return list(['faults']);
  const key = o.key ?? process.env.AZURE_OPENAI_API_KEY;
  if (!key) throw new UsageError('the emulator needs a key: --key K or $AZURE_OPENAI_API_KEY');
  const port = o.port === undefined ? 0 : Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, got "${o.port}"`);
  for (const f of o.fault ?? []) if (!FAULTS.some((x) => x.id === f)) throw new UsageError(`unknown fault "${f}" (see --list-faults)`);
  const emu = await startEmulator({ key, port, faults: o.fault ?? [] });
  console.log(`aoai-conformance emulator listening on ${emu.url}${o.fault?.length ? ` with faults ${o.fault.join(', ')}` : ''}`);
  console.log(`  azure-openai    ${emu.url}/openai/deployments/{${DEFAULT_DEPLOYMENTS.join('|')}}/chat/completions?api-version=2024-06-01`);
  console.log(`  openai          ${emu.url}/v1/chat/completions`);
  await new Promise<void>((done) => {
    const stop = () => void emu.close().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return EXIT_OK;
}

function list(args: string[]): number {
  const { values: o, positionals } = parse(args, LIST_OPTIONS);
  if (o.help) {
    console.log(HELP);
    return EXIT_OK;
  }
  const what = positionals[0] ?? 'cases';
  if (what === 'faults') {
    for (const f of FAULTS) console.log(`${f.id.padEnd(32)} ${f.category.padEnd(12)} ${f.breaks}`);
  } else if (what === 'checks') {
    for (const c of CHECKS.values()) console.log(`${c.name.padEnd(28)} ${c.description}\n${' '.repeat(29)}args: ${JSON.stringify(c.args.properties ?? {})}`);
  } else if (what === 'requirements') {
    for (const r of loadRequirements().values()) {
      if (o.level?.length && !o.level.includes(r.level)) continue;
      console.log(`${r.id.padEnd(34)} ${r.level.padEnd(6)} ${r.statement}`);
    }
  } else if (what === 'cases') {
    const filters = { only: o.only, operations: oneOf<OperationId>('operation', o.operation, OPERATIONS), levels: oneOf<Level>('level', o.level, LEVELS) };
    for (const c of inShard(selectCases(loadCases(), filters), shardOption(o.shard))) {
      console.log(`${c.id.padEnd(38)} ${c.level.padEnd(6)} ${c.operation.padEnd(20)} ${c.profiles.join(',').padEnd(36)} ${c.title}`);
    }
  } else {
    throw new UsageError(`list what? cases, requirements, checks or faults (got "${what}")`);
  }
  return EXIT_OK;
}
