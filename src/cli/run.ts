/**
 * `aoai-conformance run`: decide the run once (target, planned cases, settings), check that the target is
 * there (pre-flight), hand the plan to the test runner, and write the reports — always, also when the target
 * is unreachable, stops answering, or the user presses Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { loadPrevious } from '../results/compare.ts';
import { type DurationBounds, formatDuration, parseDuration } from '../duration.ts';
import { preflight } from '../engine/preflight.ts';
import { credentialSource } from '../engine/credential.ts';
import { freshDispatcherFor, probeFor } from '../engine/probe.ts';
import { proxiedFor, proxyChoice, shownProxy } from '../engine/transport.ts';
import { INTERRUPTED, notApplicable } from '../engine/applicable.ts';
import { LEVELS, PROFILES, type Level, type OperationId } from '../model.ts';
import { OPERATIONS } from '../operations.ts';
import { PROFILE_INFO } from '../profiles.ts';
import { caseAtProfile } from '../requirements.ts';
import { currentPatterns } from '../renamed.ts';
import { EXIT_INCOMPLETE, type RunResults } from '../results/model.ts';
import { DEFAULT_CONCURRENCY, DEFAULT_REPEAT, type Filters, selectCases, type SkipRule, unmatchedPatterns, userSkips } from '../selection.ts';
import { inShard } from '../results/shard.ts';
import { loadTargetConfig, type TargetConfig } from '../target-config.ts';
import { COGNITIVE_SERVICES_SCOPE, DEFAULT_REQUEST_TIMEOUT_MS, headerSecrets, targetFor } from '../target.ts';
import { discardDirectory, REPORT_FILES } from '../../reporters/files.ts';
import type { AssembleInput } from '../runner/assemble.ts';
import type { RunPlan } from '../runner/plan.ts';
import { Collector, notRun } from '../runner/reporter.ts';
import { configureRunner, startRun } from '../runner/start.ts';
import { catalogue } from './catalogue.ts';
import { VERSION } from './main.ts';
import { type CommandSpec, flag, list, oneOf, parse, positiveInt, str, UsageError } from './options.ts';
import { describeRun } from './run-banner.ts';
import { chooseTarget, type TargetChoice } from './run-target.ts';
import { baselineOption, reportDirOption, shardOption, variationsOption } from './shared.ts';

const DEFAULT_READY_TIMEOUT_MS = 60_000;
const DEFAULT_RECOVERY_TIMEOUT_MS = 60_000;
const SYSTEMIC_AFTER = 3;
const REQUEST_BOUNDS: DurationBounds = { minMs: 100, maxMs: 3_600_000 };
const WAIT_BOUNDS: DurationBounds = { minMs: 100, maxMs: 24 * 3_600_000 };

const SPEC: CommandSpec = {
  name: 'run',
  usage: 'run [options]             (in the repo: npm run conformance -- [options])',
  summary: 'Run the suite against --endpoint (or, without it, the embedded emulator) and write report.html, results.json, junit.xml and allure-results/.',
  options: {
    profile: { type: 'string', value: 'P', help: `how the target is addressed: ${PROFILES.join(' | ')} (default azure-openai)` },
    endpoint: { type: 'string', value: 'URL', help: "the target's base URL (http:// or https://); default: $AZURE_OPENAI_ENDPOINT (azure-openai) or $OPENAI_BASE_URL, as the official SDKs read them; with none of these, the embedded emulator" },
    emulator: { type: 'boolean', help: 'judge the embedded emulator (started on loopback), whatever endpoint the environment names' },
    'api-key-env': { type: 'string', value: 'NAME', help: 'the environment variable holding the key (default AZURE_OPENAI_API_KEY, or OPENAI_API_KEY for --profile openai)' },
    'token-env': { type: 'string', value: 'NAME', help: 'authenticate with a Microsoft Entra ID token read from this environment variable (sent as Authorization: Bearer) instead of a key' },
    entra: { type: 'boolean', help: `authenticate with Microsoft Entra ID tokens from @azure/identity's DefaultAzureCredential (scope ${COGNITIVE_SERVICES_SCOPE}), renewed during the run; needs the optional package @azure/identity` },
    'no-auth': { type: 'boolean', help: 'the target takes no credential: none is sent, none is needed, and the cases about rejecting credentials are skipped' },
    header: { type: 'string', multiple: true, value: 'NAME=VALUE', help: 'send this header with every request (repeatable; a gateway\'s); NAME=env:VARIABLE reads the value from the environment and treats it as a secret' },
    'ca-file': { type: 'string', value: 'FILE', help: 'trust the CA certificates in this PEM file besides the default ones (a test server with its own CA)' },
    insecure: { type: 'boolean', help: 'accept any TLS certificate, e.g. a self-signed test server\'s (the run says so at its start)' },
    'sdk-judge': { type: 'boolean', help: 'also parse every 200 response with the official openai client, streams included, without any network: a response it cannot consume is a finding' },
    deployment: { type: 'string', value: 'NAME', help: 'the deployment (azure-openai) or model (others) used for every capability' },
    config: { type: 'string', value: 'FILE', help: 'a target config (YAML): deployments per capability, features switched off, cases to skip, run settings; options given on the command line win (docs/target-config.md)' },
    'report-dir': { type: 'string', value: 'DIR', help: 'where report.html, results.json, junit.xml and allure-results/ go (default conformance-report/)' },
    only: { type: 'string', multiple: true, value: 'ID', help: 'run only the cases matching this id or glob (repeatable; `chat-stream-*`)' },
    skip: { type: 'string', multiple: true, value: 'ID', help: 'skip the cases matching this id or glob (repeatable); the report shows them as skipped by the user' },
    operation: { type: 'string', multiple: true, value: 'OP', help: `run only this operation's cases (repeatable): ${OPERATIONS.join(', ')}` },
    level: { type: 'string', multiple: true, value: 'L', help: 'run only cases of this level (repeatable): MUST, SHOULD, MAY' },
    shard: { type: 'string', value: 'i/n', help: 'run only the i-th of n equal parts of the selected cases (merge them with `merge`)' },
    baseline: { type: 'string', value: 'FILE', help: 'expected failures (YAML, docs/reports.md): listed failures do not fail the run; a listed failure that now passes, or an expired entry, does' },
    compare: { type: 'string', value: 'PATH', help: 'an earlier results.json (or its directory): report regressions and fixes' },
    concurrency: { type: 'string', value: 'N', help: `requests in flight at once (default ${DEFAULT_CONCURRENCY})` },
    timeout: { type: 'string', value: 'DUR', help: `per-request time limit for the headers and a whole non-stream body: 500ms, 30s, 2m (a bare number is ms; default ${formatDuration(DEFAULT_REQUEST_TIMEOUT_MS)})` },
    'stream-idle-timeout': { type: 'string', value: 'DUR', help: 'a stream that sends nothing for this long has stalled (default: --timeout)' },
    'stream-timeout': { type: 'string', value: 'DUR', help: 'a stream must end within this long (default: 4 × --timeout, at least 2 min)' },
    'ready-timeout': { type: 'string', value: 'DUR', help: `how long the target may take to give its first answer before any case runs (default ${formatDuration(DEFAULT_READY_TIMEOUT_MS)})` },
    'wait-for-target': { type: 'boolean', help: 'while the target refuses connections at the start, wait for it (up to --ready-timeout) instead of failing at once' },
    'recovery-timeout': { type: 'string', value: 'DUR', help: `how long the run waits for a target that stopped answering before it stops early (default ${formatDuration(DEFAULT_RECOVERY_TIMEOUT_MS)})` },
    repeat: { type: 'string', value: 'K', help: `runs of each case whose outcome depends on the model (default ${DEFAULT_REPEAT})` },
    'max-requests': { type: 'string', value: 'N', help: 'request budget for the whole run; cases beyond it are skipped' },
    'max-failures': { type: 'string', value: 'N', help: 'stop starting cases once N cases have failed; the rest are reported as not run' },
    'follow-external-urls': { type: 'boolean', help: 'let checks download URLs the target returns on other hosts than its own (image URLs); by default nothing but the target is contacted' },
    fault: { type: 'string', multiple: true, value: 'ID', help: 'with the embedded emulator only: switch on an emulator fault (repeatable; `aoai-conformance list faults`)' },
    variation: { type: 'string', multiple: true, value: 'ID', help: 'with the embedded emulator only: switch on a legal variation, an unusual response the documents allow (repeatable; `aoai-conformance list variations`)' },
    'no-allure': { type: 'boolean', help: 'do not write allure-results/' },
  },
  notes: [
    'The proxy comes from HTTPS_PROXY / HTTP_PROXY / NO_PROXY; without a NO_PROXY, loopback targets are reached directly. The embedded emulator is always reached directly.',
    'The credential is read from the environment only; it is never accepted on the command line, and it never appears in a report, a log or the terminal.',
    'Exit codes: 0 no MUST requirement failed (SHOULD/MAY breaches are warnings; baselined failures are expected); 1 a MUST requirement failed outside the baseline, or a baseline entry is stale or expired — this wins when the run is also incomplete; 2 usage or configuration error, a target unreachable from the start, or a run that could not be completed (cases not judged, interrupted).',
  ],
};

interface Settings {
  choice: TargetChoice;
  file: TargetConfig;
  filters: Filters;
  skipRules: SkipRule[];
  requestTimeoutMs: number;
  streamIdleTimeoutMs?: number;
  streamTimeoutMs?: number;
  readyTimeoutMs: number;
  recoveryTimeoutMs: number;
  waitForTarget: boolean;
  concurrency: number;
  repeat: number;
  maxRequests?: number;
  maxFailures?: number;
  faults: string[];
  variations: string[];
  allure: boolean;
  followExternalUrls: boolean;
  reportDir?: string;
  shard?: string;
  baseline?: string;
  compare?: string;
}

function duration(name: string, value: string | number | undefined, fallback: number, bounds: DurationBounds): number;
function duration(name: string, value: string | number | undefined, fallback: undefined, bounds: DurationBounds): number | undefined;
function duration(name: string, value: string | number | undefined, fallback: number | undefined, bounds: DurationBounds): number | undefined {
  if (value === undefined) return fallback;
  const ms = parseDuration(value, bounds);
  if (typeof ms === 'string') throw new UsageError(`--${name}: ${ms}`);
  return ms;
}

function settingsFrom(args: string[]): Settings {
  const { values: o } = parse(SPEC, args);
  let file: TargetConfig = {};
  const configPath = str(o, 'config');
  if (configPath !== undefined) file = loadTargetConfig(resolve(configPath));
  const choice = chooseTarget(
    {
      profile: str(o, 'profile'),
      endpoint: str(o, 'endpoint'),
      emulator: flag(o, 'emulator'),
      deployment: str(o, 'deployment'),
      apiKeyEnv: str(o, 'api-key-env'),
      tokenEnv: str(o, 'token-env'),
      entra: flag(o, 'entra'),
      noAuth: flag(o, 'no-auth'),
      headers: list(o, 'header') ?? [],
      caFile: str(o, 'ca-file'),
      insecure: flag(o, 'insecure'),
      sdkJudge: flag(o, 'sdk-judge'),
    },
    file,
    configPath,
  );
  const maxRequestsText = str(o, 'max-requests');
  const maxFailuresText = str(o, 'max-failures');
  const requestTimeoutMs = duration('timeout', str(o, 'timeout') ?? file.timeout ?? file.timeoutMs, DEFAULT_REQUEST_TIMEOUT_MS, REQUEST_BOUNDS);
  return {
    choice,
    file,
    filters: { only: list(o, 'only'), operations: oneOf<OperationId>('operation', list(o, 'operation'), OPERATIONS), levels: oneOf<Level>('level', list(o, 'level'), LEVELS) },
    skipRules: [...(list(o, 'skip') ?? []).map((pattern) => ({ pattern, reason: `--skip ${pattern}` })), ...(file.skip ?? []).map((s) => ({ pattern: s.case, reason: s.reason }))],
    requestTimeoutMs,
    streamIdleTimeoutMs: duration('stream-idle-timeout', str(o, 'stream-idle-timeout') ?? file.streamIdleTimeout, undefined, REQUEST_BOUNDS),
    streamTimeoutMs: duration('stream-timeout', str(o, 'stream-timeout') ?? file.streamTimeout, undefined, WAIT_BOUNDS),
    readyTimeoutMs: duration('ready-timeout', str(o, 'ready-timeout') ?? file.readyTimeout, DEFAULT_READY_TIMEOUT_MS, WAIT_BOUNDS),
    recoveryTimeoutMs: duration('recovery-timeout', str(o, 'recovery-timeout') ?? file.recoveryTimeout, DEFAULT_RECOVERY_TIMEOUT_MS, WAIT_BOUNDS),
    waitForTarget: flag(o, 'wait-for-target') || file.waitForTarget === true,
    concurrency: positiveInt('concurrency', str(o, 'concurrency'), file.concurrency ?? DEFAULT_CONCURRENCY),
    repeat: positiveInt('repeat', str(o, 'repeat'), file.repeat ?? DEFAULT_REPEAT),
    maxRequests: maxRequestsText === undefined && file.maxRequests === undefined ? undefined : positiveInt('max-requests', maxRequestsText, file.maxRequests ?? 1),
    maxFailures: maxFailuresText === undefined && file.maxFailures === undefined ? undefined : positiveInt('max-failures', maxFailuresText, file.maxFailures ?? 1),
    faults: list(o, 'fault') ?? [],
    variations: list(o, 'variation') ?? [],
    allure: !flag(o, 'no-allure'),
    followExternalUrls: flag(o, 'follow-external-urls') || file.followExternalUrls === true,
    reportDir: str(o, 'report-dir'),
    shard: str(o, 'shard'),
    baseline: str(o, 'baseline'),
    compare: str(o, 'compare'),
  };
}

/** An endpoint is a full http(s) URL: `localhost:8080` parses as a URL of scheme "localhost:", which no one means. */
function endpointOption(endpoint: string, from: string): string {
  const what = from === '--endpoint' ? '--endpoint' : `the endpoint (${from})`;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`${what} is not a URL: "${endpoint}" (e.g. https://my-resource.openai.azure.com or http://127.0.0.1:8000/v1)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${what} must start with http:// or https://, got "${endpoint}"${/^[\w.-]+:\d+/.test(endpoint) ? ` (did you mean http://${endpoint}?)` : ''}`);
  }
  return endpoint;
}

/** `--only`, `--skip` and the config's `skip:` may name a case by an old id (cases/renamed.yaml): it selects the case it is now, with a note. */
function withCurrentCaseIds(s: Settings): Settings {
  const only = currentPatterns(s.filters.only ?? []);
  const skips = currentPatterns(s.skipRules.map((r) => r.pattern));
  for (const note of [...only.notes, ...skips.notes]) console.error(`aoai-conformance: ${note}`);
  return { ...s, filters: { ...s.filters, ...(s.filters.only ? { only: only.patterns } : {}) }, skipRules: s.skipRules.map((r, i) => ({ ...r, pattern: skips.patterns[i] })) };
}

async function run(args: string[]): Promise<number> {
  const s = withCurrentCaseIds(settingsFrom(args));
  // vitest is created in the runner's thread while this one prepares the run (src/runner/start.ts).
  configureRunner(s.concurrency);
  const { requirements, cases: catalogued } = await catalogue();
  // Cases are selected (--level) and reported at their requirement's level for the run's profile.
  const allCases = catalogued.map((c) => caseAtProfile(c, requirements, s.choice.profile.value));
  const ids = allCases.map((c) => c.id);
  const unknown = unmatchedPatterns([...(s.filters.only ?? []), ...s.skipRules.map((r) => r.pattern)], ids);
  if (unknown.length) throw new UsageError(`no case matches ${unknown.map((p) => `"${p}"`).join(', ')} (see aoai-conformance list cases)`);
  const shard = shardOption(s.shard);
  const planned = inShard(selectCases(allCases, s.filters), shard);
  if (planned.length === 0) throw new UsageError(`no case matches the selection${shard ? ` in shard ${s.shard}` : ''} (see aoai-conformance list cases)`);
  const skips = userSkips(s.skipRules, planned.map((c) => c.id));
  const baseline = s.baseline === undefined ? undefined : await baselineOption(s.baseline, allCases);
  const previous = s.compare === undefined ? undefined : loadPrevious(resolve(s.compare));
  const variations = await variationsOption(s.variations, 'aoai-conformance list variations');

  const { choice } = s;
  const profile = choice.profile.value;
  const auth = choice.auth.value;
  let endpoint = choice.endpoint === undefined ? undefined : endpointOption(choice.endpoint.value, choice.endpoint.from);
  let deployment = choice.deployment?.value;
  let emu: { url: string; close(): Promise<void> } | undefined;
  if (endpoint === undefined) {
    const { FAULTS } = await import('../../emulator/faults.ts');
    for (const f of s.faults) if (!FAULTS.some((x) => x.id === f)) throw new UsageError(`unknown fault "${f}" (see aoai-conformance list faults)`);
    if (auth.kind === 'entra') throw new UsageError('--entra judges a server\'s Microsoft Entra ID authentication: give --endpoint (the embedded emulator takes a key)');
  } else {
    const elsewhere = choice.endpoint!.from === '--endpoint' ? 'omit --endpoint' : `use --emulator (the endpoint comes from ${choice.endpoint!.from})`;
    if (s.faults.length) throw new UsageError(`--fault applies only to the embedded emulator (${elsewhere})`);
    if (variations.length) throw new UsageError(`--variation applies only to the embedded emulator (${elsewhere})`);
    const someDeployment = deployment ?? Object.values(s.file.deployments ?? {}).find((d) => typeof d === 'string');
    if (!someDeployment) throw new UsageError(`--deployment is required with an endpoint (${choice.endpoint!.from}): the ${profile === 'azure-openai' ? 'deployment' : 'model'} to test, or name one per capability in --config`);
    if ((auth.kind === 'key' || auth.kind === 'token-env') && !process.env[auth.env]) {
      throw new UsageError(`the environment variable ${auth.env} is empty: put the target's ${auth.kind === 'key' ? 'key' : 'token'} in it (or name another with ${auth.kind === 'key' ? '--api-key-env' : '--token-env'}; --no-auth for a target without authentication)`);
    }
  }
  // Made only once every usage error is ruled out, so a refused command leaves no report directory behind.
  const reportDir = reportDirOption(s.reportDir);
  if (endpoint === undefined) {
    const { DEFAULT_DEPLOYMENTS, startEmulator } = await import('../../emulator/server.ts');
    // The embedded emulator: it accepts the key (or token) from the environment if there is one, else a fresh random one.
    const keyEnv = auth.kind === 'key' || auth.kind === 'token-env' ? auth.env : undefined; // --entra was refused above
    if (keyEnv) process.env[keyEnv] ||= `emu-${randomBytes(16).toString('hex')}`;
    deployment ??= DEFAULT_DEPLOYMENTS[0];
    const named = [deployment, ...Object.values(s.file.deployments ?? {})].filter((d): d is string => typeof d === 'string');
    emu = await startEmulator({ key: keyEnv ? process.env[keyEnv]! : '', noAuth: auth.kind === 'none', faults: s.faults, variations, deployments: [...new Set([...DEFAULT_DEPLOYMENTS, ...named])] });
    endpoint = emu.url;
  }
  const disabledFeatures = Object.entries(s.file.features ?? {})
    .filter(([, on]) => on === false)
    .map(([name]) => name);
  const target = targetFor({
    profile,
    endpoint,
    deployment: deployment ?? '',
    deployments: s.file.deployments,
    apiKeyEnv: auth.kind === 'key' || auth.kind === 'token-env' ? auth.env : PROFILE_INFO[profile].defaultKeyEnv,
    auth,
    headers: choice.headers.map(({ from: _from, ...h }) => h),
    // The embedded emulator is ours, on loopback: it is always reached directly.
    transport: { proxyFromEnv: !emu, ...choice.transport.value },
    sdkJudge: choice.sdkJudge.value,
    emulator: emu !== undefined,
    faults: s.faults,
    requestTimeoutMs: s.requestTimeoutMs,
    stream: { ...(s.streamIdleTimeoutMs ? { idleTimeoutMs: s.streamIdleTimeoutMs } : {}), ...(s.streamTimeoutMs ? { totalTimeoutMs: s.streamTimeoutMs } : {}) },
    disabledFeatures,
  });
  const secrets = [...headerSecrets(target)];
  const credential = credentialSource(target, { onSecret: (v) => secrets.push(v) });
  const startedAt = new Date();
  const base: Omit<AssembleInput, 'cases' | 'runErrors' | 'finishedAt'> = { version: VERSION, target, filters: s.filters, shard, planned, requirements, startedAt, secrets, baseline, previous };
  for (const line of describeRun({ version: VERSION, target, choice, planned: planned.length, faults: s.faults })) console.error(line);
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const applicable = planned.filter((c) => !skips.has(c.id) && !notApplicable(c, target));
    // The credential is needed for the pre-flight already: a token that cannot be had is one clear error, before any case.
    const apiKey = applicable.length === 0 ? '' : await credential.current();
    const ready = applicable.length === 0 ? undefined : await preflight(probeFor(target, apiKey, [...new Set(applicable.map((c) => c.operation))]), { readyTimeoutMs: s.readyTimeoutMs, waitForTarget: s.waitForTarget, signal: interrupt.signal, fresh: freshDispatcherFor(target) });
    if (ready && !ready.ok) {
      const proxy = target.transport?.proxyFromEnv ? proxiedFor(proxyChoice(target.endpoint), target.endpoint) : undefined;
      const via = proxy ? `\n  note: the request went through the proxy ${shownProxy(proxy.url)} ($${proxy.from}); NO_PROXY lists the hosts reached directly` : '';
      console.error(`aoai-conformance: ${ready.problem}${ready.hint ? `\n  hint: ${ready.hint}` : ''}${via}`);
      const why = interrupt.signal.aborted ? INTERRUPTED : `not judged: pre-flight: ${ready.problem}`;
      const { assembleResults } = await import('../runner/assemble.ts');
      const results = assembleResults({ ...base, cases: planned.map((c) => notRun(c, target, why)), runErrors: [], finishedAt: new Date(), preflight: { ok: false, what: ready.what, message: ready.problem }, interrupted: interrupt.signal.aborted });
      return await finish(results, reportDir, s.allure);
    }
    if (ready?.note) console.error(`aoai-conformance: ${ready.note}`);
    const plan: RunPlan = {
      target,
      cases: planned,
      requirements: [...requirements.values()],
      userSkips: Object.fromEntries(skips),
      concurrency: s.concurrency,
      repeat: s.repeat,
      maxRequests: s.maxRequests,
      maxFailures: s.maxFailures,
      health: { recoveryTimeoutMs: s.recoveryTimeoutMs, systemicAfter: SYSTEMIC_AFTER },
      followExternalUrls: s.followExternalUrls,
    };
    const collector = new Collector(target, planned, () => (interrupt.signal.aborted ? INTERRUPTED : 'not judged: the case never ran (the run stopped before it)'));
    const started = startRun(plan, collector);
    // The results wing (it loads every check, for coverage) and the report writers: loaded now, while this thread
    // waits for vitest's worker to start, not after the run.
    const assembling = import('../runner/assemble.ts');
    assembling.catch(() => {}); // awaited below; a failure must not end the process before the run can report it
    // (finish() imports them again: a failure to load is reported there.)
    void Promise.all([import('../../reporters/write.ts'), import('../../reporters/summary.ts'), ...(s.allure ? [import('../../reporters/allure.ts')] : [])]).catch(() => {});
    const cancel = () => {
      console.error('\naoai-conformance: interrupted — finishing the report of what ran (Ctrl-C again to quit at once)');
      process.once('SIGINT', () => process.exit(130));
      started.cancel();
    };
    if (interrupt.signal.aborted) cancel();
    else interrupt.signal.addEventListener('abort', cancel, { once: true });
    await started.done;
    const collected = collector.collected;
    if (!collected) {
      console.error('aoai-conformance: the run did not complete: no results were produced');
      return EXIT_INCOMPLETE;
    }
    const { assembleResults } = await assembling;
    const results = assembleResults({ ...base, ...collected, startedAt, interrupted: interrupt.signal.aborted, ...(ready ? { preflight: { ok: true, what: ready.what, message: `the target answered ${ready.what} (HTTP ${ready.status}) after ${formatDuration(ready.answeredInMs)}${ready.note ? `; ${ready.note}` : ''}`, answeredInMs: ready.answeredInMs } } : {}) });
    return await finish(results, reportDir, s.allure);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await emu?.close();
  }
}

/** Writes every report and prints the summary; the exit code is the verdict's unless a report could not be written. */
async function finish(results: RunResults, reportDir: string, allure: boolean): Promise<number> {
  // An earlier run's Allure results go whether or not this run writes its own: they would pass for this run's.
  const allureDir = resolve(reportDir, REPORT_FILES.allureResults);
  const discarding = discardDirectory(allureDir);
  discarding.catch(() => {}); // awaited below, where a failure is reported (it may come while the reports are written)
  const { writeReports } = await import('../../reporters/write.ts');
  const { renderSummary } = await import('../../reporters/summary.ts');
  const problems = await writeReports(results, reportDir);
  if (allure) {
    const { writeAllureResults } = await import('../../reporters/allure.ts');
    try {
      writeAllureResults(results, allureDir);
    } catch (err) {
      problems.push(`${REPORT_FILES.allureResults}/: ${(err as Error).message}`);
    }
  }
  try {
    await discarding;
  } catch (err) {
    problems.push(`${REPORT_FILES.allureResults}/ (removing the earlier run's): ${(err as Error).message}`);
  }
  for (const p of problems) console.error(`aoai-conformance: could not write ${p}`);
  console.log(renderSummary(results, reportDir, allure ? [`${allureDir}/ (one HTML file of it: npx aoai-conformance report allure --report-dir ${reportDir})`] : []));
  return problems.length ? EXIT_INCOMPLETE : results.verdict.exitCode;
}

export const RUN = { spec: SPEC, run };
