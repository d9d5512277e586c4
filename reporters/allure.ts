/**
 * allure-results/ from the results model, written like the other reports once the run is over: one Allure result
 * per case, labelled (requirement, level, operation, profile, seed, outcome), its checks as steps (what each expected
 * and found as the step's parameters), the redacted exchange as an attachment and a curl reproduction in the
 * description. Two files per case at most: making files is most of what writing the results costs. Everything comes
 * from the run's results as results.json holds them (secrets scrubbed, bodies bounded), so the Allure results say
 * what the other reports say.
 *
 * The files follow Allure's results format (allure-js-commons' model types). Allure's status: a MUST failure is
 * `failed`, a case the suite could not judge `broken`, an inapplicable case `skipped`. A warning passes, as it does
 * for the exit code; Allure has no warning status, so a warned case carries the `warning` tag and `outcome` label,
 * a name that says so, and its SHOULD/MAY checks as failed steps inside the passed test.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Attachment, Label, Parameter, StepResult, TestResult } from 'allure-js-commons';
import type { Status } from '../src/model.ts';
import { describeFailure, type ReportedCase, type RunResults } from '../src/results/model.ts';

type AllureStatus = 'passed' | 'failed' | 'broken' | 'skipped';
type AllureStage = 'finished' | 'pending';
type Step = Omit<StepResult, 'status' | 'stage' | 'steps'> & { status?: AllureStatus; stage: AllureStage; steps: Step[] };
export type AllureTestResult = Omit<TestResult, 'status' | 'stage' | 'steps'> & { status: AllureStatus; stage: AllureStage; steps: Step[] };

const SEVERITY = { MUST: 'critical', SHOULD: 'normal', MAY: 'minor' } as const;
const TEST_STATUS: Record<Status, AllureStatus> = { pass: 'passed', warning: 'passed', fail: 'failed', error: 'broken', skipped: 'skipped' };
const STEP_STATUS: Record<Status, AllureStatus> = { pass: 'passed', fail: 'failed', warning: 'failed', skipped: 'skipped', error: 'broken' };
// Allure's own convention (allure-js-commons getEnvironmentLabels): ALLURE_LABEL_<name>=<value> labels every result.
const ENV_LABEL_PREFIX = 'ALLURE_LABEL_';

export interface AllureFile {
  name: string;
  content: string;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** Why a case failed or was not judged, as Allure shows it. */
function failureMessage(c: ReportedCase): string | undefined {
  if (c.status !== 'fail' && c.status !== 'error') return undefined;
  return c.runError ?? describeFailure(c);
}

/** The labels every result of a run carries: where it ran (Allure's timeline places a test by its host and thread,
 * as Allure's own integrations label them) and Allure's ALLURE_LABEL_<name>=<value> convention (allure-js-commons
 * getEnvironmentLabels). Read once per run: the environment is slow to enumerate. */
export function runLabels(env: NodeJS.ProcessEnv = process.env): Label[] {
  const fromEnv = Object.entries(env).flatMap(([key, value]) => {
    const name = key.startsWith(ENV_LABEL_PREFIX) ? key.slice(ENV_LABEL_PREFIX.length).trim() : '';
    return name && value !== undefined ? [{ name, value }] : [];
  });
  return [{ name: 'host', value: env.ALLURE_HOST_NAME ?? hostname() }, { name: 'thread', value: env.ALLURE_THREAD_NAME ?? 'aoai-conformance' }, ...fromEnv];
}

function labelsOf(c: ReportedCase, ofRun: Label[]): Label[] {
  return [
    { name: 'framework', value: 'aoai-conformance' },
    { name: 'parentSuite', value: 'aoai-conformance' },
    { name: 'suite', value: c.operation },
    { name: 'requirement', value: c.requirement },
    { name: 'level', value: c.level },
    { name: 'operation', value: c.operation },
    { name: 'profile', value: c.profile },
    { name: 'seed', value: c.seed },
    { name: 'severity', value: SEVERITY[c.level] },
    { name: 'epic', value: c.profile },
    { name: 'feature', value: c.operation },
    { name: 'story', value: c.requirement },
    { name: 'tag', value: c.level },
    // pass | fail | warning | skipped | error: what the suite concluded, which Allure's status cannot say for a warning.
    { name: 'outcome', value: c.status },
    ...(c.status === 'warning' ? [{ name: 'tag', value: 'warning' }] : []),
    ...ofRun,
  ];
}

/** A Markdown code block around `text`, fenced longer than any run of backticks in it. */
function codeBlock(text: string, language: string): string {
  const fence = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${fence}${language}\n${text}\n${fence}`;
}

function descriptionOf(c: ReportedCase, statement: string | undefined): string {
  return [
    `**${c.level} ${c.requirement}** — ${statement ?? ''}`,
    '',
    `Seed: ${c.seed}`,
    '',
    `Case file: \`${c.file}\``,
    ...(c.skipReason ? ['', `Not applicable: ${c.skipReason}`] : []),
    ...(c.repeat ? ['', `Runs: ${c.repeat.passed}/${c.repeat.runs} passed`] : []),
    ...(c.status === 'warning' ? ['', 'Outcome: **warning** — a SHOULD/MAY check failed; no MUST check did, so the test passes.'] : []),
    ...(c.reproduce ? ['', 'Reproduce (the credential is read from the environment):', '', codeBlock(c.reproduce.curl, 'sh')] : []),
  ].join('\n');
}

/** One case's Allure result and its attachment files; `start` is when the case started (epoch ms). */
export function allureCaseFiles(c: ReportedCase, opts: { statement?: string; start: number; runLabels: Label[] }): AllureFile[] {
  const start = c.exchange?.timings.startedAt ?? opts.start;
  const stop = start + Math.round(c.durationMs);
  const files: AllureFile[] = [];
  // Each check a step, with what it expected and what it found as the step's parameters.
  const steps: Step[] = c.checks.map((k) => ({
    name: `${k.status === 'warning' ? `WARNING (${k.level}) ` : ''}${k.check} [${k.level} ${k.requirement}]: ${k.message}`,
    status: STEP_STATUS[k.status],
    stage: 'finished',
    statusDetails: {},
    steps: [],
    attachments: [],
    parameters: (['expected', 'actual'] as const).flatMap((name) => (k[name] === undefined || k[name] === null ? [] : [{ name, value: typeof k[name] === 'string' ? k[name] : JSON.stringify(k[name]) }])),
    start: stop,
    stop,
  }));
  if (c.exchange) {
    const attachment: Attachment = { name: 'exchange.json', source: `${randomUUID()}-attachment.json`, type: 'application/json' };
    files.push({ name: attachment.source, content: JSON.stringify(c.exchange, null, 2) });
    // An attachment in a step of its own, as allure-js-commons writes one made inside a test.
    steps.push({ name: attachment.name, stage: 'finished', statusDetails: {}, steps: [], attachments: [attachment], parameters: [], start: stop, stop });
  }
  const parameters: Parameter[] = [{ name: 'profile', value: c.profile }];
  // Stable across runs and machines, so Allure's history follows a case: its profile, operation and id.
  const fullName = `aoai-conformance ${c.profile} ${c.operation} ${c.id}`;
  const testCaseId = md5(fullName);
  const message = failureMessage(c);
  const result: AllureTestResult = {
    uuid: randomUUID(),
    name: `${c.id}: ${c.title}${c.status === 'warning' ? ' — warning (SHOULD/MAY)' : ''}`,
    fullName,
    testCaseId,
    // allure-js-commons' history id: the test case id and a digest of its parameters.
    historyId: `${testCaseId}:${md5(parameters.map((p) => `${p.name}:${p.value}`).join(','))}`,
    titlePath: ['aoai-conformance', c.operation],
    status: TEST_STATUS[c.status],
    statusDetails: message ? { message } : {},
    stage: c.status === 'skipped' ? 'pending' : 'finished',
    description: descriptionOf(c, opts.statement),
    labels: labelsOf(c, opts.runLabels),
    links: [],
    parameters,
    steps,
    attachments: [],
    start,
    stop,
  };
  files.push({ name: `${result.uuid}-result.json`, content: JSON.stringify(result) });
  return files;
}

/**
 * Writes the run's allure-results directory, which must not hold an earlier run's results (they would be mixed into
 * this run's Allure report: the caller discards them, ./files.ts discardDirectory). Plain synchronous writes, once
 * the run is over: the cheapest way to make a thousand small files (asynchronous writes cost several times the CPU,
 * and writing them while the cases run slowed the embedded emulator's thread far more than the writes take).
 */
export function writeAllureResults(results: RunResults, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const start = Date.parse(results.startedAt);
  const labels = runLabels();
  for (const c of results.cases) {
    for (const file of allureCaseFiles(c, { statement: results.requirements[c.requirement]?.statement, start, runLabels: labels })) writeFileSync(join(dir, file.name), file.content);
  }
}
