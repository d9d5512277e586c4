/** `aoai-conformance run`: the suite against a target (or the embedded emulator), then the reports. */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Reporter } from 'vitest/node';
import { loadCases, loadRequirements } from '../cases/load.ts';
import { loadPrevious } from '../compare.ts';
import { LEVELS, OPERATIONS, PROFILES, type Level, type OperationId, type ProfileName } from '../model.ts';
import { PACKAGE_ROOT } from '../paths.ts';
import { PROFILE_INFO } from '../profiles.ts';
import { EXIT_INCOMPLETE, type Shard } from '../results.ts';
import { DEFAULT_CONCURRENCY, DEFAULT_REPEAT, RUN_CONFIG_ENV, type RunConfig, selectCases } from '../run-config.ts';
import { inShard, SHARD_ENV } from '../shard.ts';
import { loadTargetConfig, type TargetConfig } from '../target-config.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS, targetFor } from '../target.ts';
import { REPORT_FILES } from '../../reporters/files.ts';
import { VERSION } from './main.ts';
import { type CommandSpec, flag, list, oneOf, parse, positiveInt, str, UsageError } from './options.ts';
import { baselineOption, reportDirOption, shardOption, variationsOption } from './shared.ts';

const ALLURE_ENV = 'AOAI_CONFORMANCE_ALLURE';

const SPEC: CommandSpec = {
  name: 'run',
  usage: 'run [options]             (in the repo: npm run conformance -- [options])',
  summary: 'Run the suite against --endpoint (or, without it, the embedded emulator) and write report.html, results.json, junit.xml and allure-results/.',
  options: {
    profile: { type: 'string', value: 'P', help: `how the target is addressed: ${PROFILES.join(' | ')} (default azure-openai)` },
    endpoint: { type: 'string', value: 'URL', help: "the target's base URL; omitted: the embedded emulator is started and used" },
    'api-key-env': { type: 'string', value: 'NAME', help: 'the environment variable holding the credential (default AZURE_OPENAI_API_KEY, or OPENAI_API_KEY for --profile openai)' },
    deployment: { type: 'string', value: 'NAME', help: 'the deployment (azure-openai) or model (others) used for every capability' },
    config: { type: 'string', value: 'FILE', help: 'a target config (YAML): deployments per capability, features switched off, run settings; options given on the command line win (docs/target-config.md)' },
    'report-dir': { type: 'string', value: 'DIR', help: 'where report.html, results.json, junit.xml and allure-results/ go (default conformance-report/)' },
    only: { type: 'string', multiple: true, value: 'ID', help: 'run only this case (repeatable)' },
    operation: { type: 'string', multiple: true, value: 'OP', help: `run only this operation's cases (repeatable): ${OPERATIONS.join(', ')}` },
    level: { type: 'string', multiple: true, value: 'L', help: 'run only cases of this level (repeatable): MUST, SHOULD, MAY' },
    shard: { type: 'string', value: 'i/n', help: 'run only the i-th of n equal parts of the selected cases (merge them with `merge`)' },
    baseline: { type: 'string', value: 'FILE', help: 'expected failures (YAML, docs/reports.md): listed failures do not fail the run; a listed failure that now passes, or an expired entry, does' },
    compare: { type: 'string', value: 'PATH', help: 'an earlier results.json (or its directory): report regressions and fixes' },
    concurrency: { type: 'string', value: 'N', help: `requests in flight at once (default ${DEFAULT_CONCURRENCY})` },
    timeout: { type: 'string', value: 'MS', help: `per-request timeout in milliseconds (default ${DEFAULT_REQUEST_TIMEOUT_MS})` },
    repeat: { type: 'string', value: 'K', help: `runs of each case whose outcome depends on the model (default ${DEFAULT_REPEAT})` },
    'max-requests': { type: 'string', value: 'N', help: 'request budget for the whole run; cases beyond it are skipped' },
    fault: { type: 'string', multiple: true, value: 'ID', help: 'with the embedded emulator only: switch on an emulator fault (repeatable; `aoai-conformance list faults`)' },
    variation: { type: 'string', multiple: true, value: 'ID', help: 'with the embedded emulator only: switch on a legal variation, an unusual response the documents allow (repeatable; `aoai-conformance list variations`)' },
    'no-allure': { type: 'boolean', help: 'do not write allure-results/' },
  },
  notes: [
    'The credential is read from the environment only; it is never accepted on the command line, and it never appears in a report, a log or the terminal.',
  ],
};

async function run(args: string[]): Promise<number> {
  const { values: o } = parse(SPEC, args);
  let file: TargetConfig = {};
  const configPath = str(o, 'config');
  if (configPath !== undefined) {
    try {
      file = loadTargetConfig(resolve(configPath));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const profileOption = str(o, 'profile');
  const profile = (profileOption ?? file.profile ?? 'azure-openai') as ProfileName;
  if (!PROFILES.includes(profile)) throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}, got "${profileOption}"`);
  const apiKeyEnv = str(o, 'api-key-env') ?? file.apiKeyEnv ?? PROFILE_INFO[profile].defaultKeyEnv;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(apiKeyEnv)) throw new UsageError(`--api-key-env must name an environment variable, got "${apiKeyEnv}"`);
  const filters = {
    only: list(o, 'only'),
    operations: oneOf<OperationId>('operation', list(o, 'operation'), OPERATIONS),
    levels: oneOf<Level>('level', list(o, 'level'), LEVELS),
  };
  const requestTimeoutMs = positiveInt('timeout', str(o, 'timeout'), file.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  const concurrency = positiveInt('concurrency', str(o, 'concurrency'), file.concurrency ?? DEFAULT_CONCURRENCY);
  const repeat = positiveInt('repeat', str(o, 'repeat'), file.repeat ?? DEFAULT_REPEAT);
  const maxRequestsText = str(o, 'max-requests');
  const maxRequests = maxRequestsText === undefined && file.maxRequests === undefined ? undefined : positiveInt('max-requests', maxRequestsText, file.maxRequests ?? 1);
  const reportDir = reportDirOption(str(o, 'report-dir'));
  const faults = list(o, 'fault') ?? [];
  const variations = await variationsOption(list(o, 'variation'), 'aoai-conformance list variations');
  const noAllure = flag(o, 'no-allure');
  const disabledFeatures = Object.entries(file.features ?? {})
    .filter(([, on]) => on === false)
    .map(([name]) => name);
  const shard = shardOption(str(o, 'shard'));
  const requirements = loadRequirements();
  const allCases = loadCases(undefined, requirements);
  const planned = inShard(selectCases(allCases, filters), shard);
  if (planned.length === 0) throw new UsageError(`no case matches the selection${shard ? ` in shard ${str(o, 'shard')}` : ''} (see aoai-conformance list cases)`);
  const baselinePath = str(o, 'baseline');
  const comparePath = str(o, 'compare');
  const baseline = baselinePath === undefined ? undefined : baselineOption(baselinePath, allCases);
  const previous = comparePath === undefined ? undefined : loadPrevious(resolve(comparePath));

  let endpoint = str(o, 'endpoint') ?? file.endpoint;
  let deployment = str(o, 'deployment') ?? file.deployment;
  let emu: { url: string; close(): Promise<void> } | undefined;
  if (endpoint === undefined) {
    const { FAULTS } = await import('../../emulator/faults.ts');
    for (const f of faults) if (!FAULTS.some((x) => x.id === f)) throw new UsageError(`unknown fault "${f}" (see aoai-conformance list faults)`);
    const { DEFAULT_DEPLOYMENTS, startEmulator } = await import('../../emulator/server.ts');
    // The embedded emulator: it accepts the key from the environment if there is one, else a fresh random one.
    process.env[apiKeyEnv] ||= `emu-${randomBytes(16).toString('hex')}`;
    deployment ??= DEFAULT_DEPLOYMENTS[0];
    const named = [deployment, ...Object.values(file.deployments ?? {})].filter((d): d is string => typeof d === 'string');
    emu = await startEmulator({ key: process.env[apiKeyEnv]!, faults, variations, deployments: [...new Set([...DEFAULT_DEPLOYMENTS, ...named])] });
    endpoint = emu.url;
  } else {
    if (faults.length) throw new UsageError('--fault applies only to the embedded emulator (omit --endpoint)');
    if (variations.length) throw new UsageError('--variation applies only to the embedded emulator (omit --endpoint)');
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
    const { ConformanceReporter } = await import('../../reporters/conformance-reporter.ts');
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
    await runVitest(config, reporter, { shard, allure: !noAllure, operations: [...new Set(planned.map((c) => c.operation))] });
    const results = reporter.results;
    if (!results) {
      console.error('aoai-conformance: the run did not complete: no results were produced');
      return EXIT_INCOMPLETE;
    }
    for (const p of reporter.writeProblems) console.error(`aoai-conformance: could not write ${p}`);
    const { renderSummary } = await import('../../reporters/summary.ts');
    console.log(renderSummary(results, reportDir, noAllure ? [] : [`${resolve(reportDir, REPORT_FILES.allureResults)}/ (npm run report:allure -- --report-dir ${reportDir})`]));
    return reporter.writeProblems.length ? EXIT_INCOMPLETE : results.verdict.exitCode;
  } finally {
    await emu?.close();
  }
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
  const allureDir = resolve(config.reportDir, REPORT_FILES.allureResults);
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

export const RUN = { spec: SPEC, run };
