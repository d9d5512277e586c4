/**
 * aoai-conformance command line.
 *   run        run the suite against --endpoint (or the embedded emulator) and write the report
 *   emulator   run the reference emulator standalone on 127.0.0.1
 *   list       list cases, requirements or faults
 * Exit codes: 0 no MUST requirement failed · 1 at least one did · 2 usage/configuration error or incomplete run.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FAULTS } from '../emulator/faults.ts';
import { DEFAULT_DEPLOYMENTS, startEmulator, type RunningEmulator } from '../emulator/server.ts';
import { CaseLoadError, loadCases, loadRequirements } from './cases/load.ts';
import { CHECKS } from './checks/index.ts';
import { LEVELS, OPERATIONS, PROFILES, type Level, type OperationId, type ProfileName } from './model.ts';
import { PROFILE_INFO } from './profiles.ts';
import { Redactor } from './redact.ts';
import { EXIT_INCOMPLETE, EXIT_OK, type RunResults } from './results.ts';
import { DEFAULT_CONCURRENCY, DEFAULT_REPEAT, RUN_CONFIG_ENV, type RunConfig, selectCases } from './run-config.ts';
import { loadTargetConfig, type TargetConfig } from './target-config.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS, targetFor } from './target.ts';

export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const VERSION = (JSON.parse(readFileSync(resolve(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

class UsageError extends Error {}

const HELP = `aoai-conformance ${VERSION} — contract conformance for Azure OpenAI-style inference servers

Usage:
  aoai-conformance run [options]        (in the repo: npm run conformance -- [options])
  aoai-conformance emulator [options]   (in the repo: npm run emulator -- [options])
  aoai-conformance list [cases|requirements|checks|faults]

run options:
  --profile P          azure-openai | model-inference | openai (default azure-openai)
  --endpoint URL       the target's base URL; omitted: the embedded emulator is started and used
  --api-key-env NAME   environment variable holding the credential
                       (default AZURE_OPENAI_API_KEY, or OPENAI_API_KEY for --profile openai)
  --deployment NAME    deployment (azure-openai) or model (others) used for every capability
  --report-dir DIR     where report.html, results.json and junit.xml go (default conformance-report/)
  --only ID            run only this case (repeatable)
  --operation OP       run only this operation's cases (repeatable): ${OPERATIONS.join(', ')}
  --level L            run only cases of this level (repeatable): MUST, SHOULD, MAY
  --concurrency N      requests in flight at once (default ${DEFAULT_CONCURRENCY})
  --timeout MS         per-request timeout in milliseconds (default ${DEFAULT_REQUEST_TIMEOUT_MS})
  --fault ID           with the embedded emulator only: switch on an emulator fault (repeatable)
  --config FILE        a target config (YAML): deployments per capability, features switched off,
                       run settings; options given on the command line win (docs/target-config.md)
  --repeat K           runs of each case whose outcome depends on the model (default ${DEFAULT_REPEAT})
  --max-requests N     request budget for the whole run; cases beyond it are skipped

emulator options:
  --port N  --key K (default: the value of $AZURE_OPENAI_API_KEY)  --fault ID (repeatable)  --list-faults

The credential is read from the environment only; it is never accepted on the command line,
and it never appears in a report, a log or the terminal.
Exit codes: 0 no MUST requirement failed, 1 at least one did, 2 usage/configuration error or incomplete run.`;

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
    return parseArgs({ args, options, strict: true, allowPositionals: true }).values;
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
    if (err instanceof UsageError || err instanceof CaseLoadError) {
      console.error(`aoai-conformance: ${err.message}`);
      if (err instanceof UsageError) console.error('Run `aoai-conformance --help` for usage.');
      return EXIT_INCOMPLETE;
    }
    throw err;
  }
}

async function run(args: string[]): Promise<number> {
  const o = parse(args, RUN_OPTIONS);
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
  const reportDir = resolve(o['report-dir'] ?? 'conformance-report');
  const faults = o.fault ?? [];
  for (const f of faults) if (!FAULTS.some((x) => x.id === f)) throw new UsageError(`unknown fault "${f}" (see aoai-conformance list faults)`);
  const disabledFeatures = Object.entries(file.features ?? {})
    .filter(([, on]) => on === false)
    .map(([name]) => name);

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
    const planned = selectCases(loadCases(undefined, loadRequirements()), filters).length;
    const config: RunConfig = { target, reportDir, concurrency, filters, repeat, maxRequests };
    process.env[RUN_CONFIG_ENV] = JSON.stringify(config);
    const results = await runVitest(config, planned, [process.env[apiKeyEnv]!]);
    if (!results) {
      console.error('aoai-conformance: the run did not complete: no results were produced');
      return EXIT_INCOMPLETE;
    }
    printSummary(results, reportDir);
    return results.verdict.exitCode;
  } finally {
    await emu?.close();
  }
}

async function runVitest(config: RunConfig, planned: number, secrets: string[]): Promise<RunResults | undefined> {
  const { startVitest } = await import('vitest/node');
  const { ConformanceReporter } = await import('../reporters/conformance-reporter.ts');
  const reporter = new ConformanceReporter({ reportDir: config.reportDir, target: config.target, planned, version: VERSION, secrets });
  const vitest = await startVitest(
    'test',
    [],
    { config: resolve(PACKAGE_ROOT, 'vitest.conformance.config.ts'), root: PACKAGE_ROOT, watch: false, reporters: [reporter] },
  );
  await vitest.close();
  return reporter.results;
}

function printSummary(r: RunResults, reportDir: string): void {
  const s = r.summary;
  const redactor = new Redactor([]);
  const lines = [
    '',
    `aoai-conformance — profile ${r.target.profile} — ${r.target.emulator ? 'embedded emulator' : r.target.endpoint}${r.target.faults.length ? ` (faults: ${r.target.faults.join(', ')})` : ''}`,
    `  planned ${s.planned}  run ${s.run}  passed ${s.passed}  failed ${s.failed}  warnings ${s.warnings}  skipped ${s.skipped}  errors ${s.errors}`,
  ];
  for (const c of r.cases.filter((x) => x.status === 'fail' || x.status === 'error' || x.status === 'warning')) {
    const bad = c.checks.filter((k) => k.status === 'fail' || k.status === 'warning' || k.status === 'error');
    lines.push(`  ${c.status.toUpperCase().padEnd(7)} ${c.id}`);
    for (const k of bad) lines.push(`          ${k.level} ${k.requirement} · ${k.check}: ${redactor.text(k.message)}`);
    if (c.runError) lines.push(`          ${c.runError}`);
  }
  for (const e of r.runErrors) lines.push(`  RUN ERROR ${e}`);
  lines.push(`  verdict: ${r.verdict.reason} (exit ${r.verdict.exitCode})`, `  report: ${resolve(reportDir, 'report.html')}`, '');
  console.log(lines.join('\n'));
}

async function emulator(args: string[]): Promise<number> {
  const o = parse(args, EMULATOR_OPTIONS);
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
  const what = args[0] ?? 'cases';
  if (what === 'faults') {
    for (const f of FAULTS) console.log(`${f.id.padEnd(32)} ${f.category.padEnd(12)} ${f.breaks}`);
  } else if (what === 'checks') {
    for (const c of CHECKS.values()) console.log(`${c.name.padEnd(28)} ${c.description}\n${' '.repeat(29)}args: ${JSON.stringify(c.args.properties ?? {})}`);
  } else if (what === 'requirements') {
    for (const r of loadRequirements().values()) console.log(`${r.id.padEnd(34)} ${r.level.padEnd(6)} ${r.statement}`);
  } else if (what === 'cases') {
    for (const c of loadCases()) console.log(`${c.id.padEnd(38)} ${c.level.padEnd(6)} ${c.operation.padEnd(18)} ${c.title}`);
  } else {
    throw new UsageError(`list what? cases, requirements, checks or faults (got "${what}")`);
  }
  return EXIT_OK;
}
