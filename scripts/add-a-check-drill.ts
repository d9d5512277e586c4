/**
 * The add-a-check drill: follows docs/cases.md "Adding a check" in a scratch copy of the project (under
 * os.tmpdir(); node_modules symlinked; .git, dist and reports left out), adding a sample check, its requirement, a
 * case, a fault with its proof row, the emulator's behaviour under it and a unit test; regenerates
 * docs/requirements.md; then runs, in the copy, the unit test, the case loader's tests and the fault matrix for the
 * new row only, and asserts the row passed (the check fails under the fault and passes without it). The scratch copy
 * is removed at the end, also when a step fails. When the docs and the code part ways, a step fails and says which.
 *
 * Run: node bin/run-ts.js scripts/add-a-check-drill.ts [--typecheck] [--keep]
 *   --typecheck  also run `tsc --noEmit` in the copy (slower: the fault id is typed)
 *   --keep       leave the scratch copy for inspection (its path is printed)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../src/paths.ts';

/** The sample's names: all start with "drill" so nothing in the scratch copy is mistaken for the real catalogue. */
export const SAMPLE = {
  check: 'drill-finish-reason-type',
  requirement: 'AOAI-DRILL-FINISH-REASON-TYPE',
  case: 'drill-finish-reason-type',
  fault: 'drill-finish-reason-number',
} as const;

/** Left out of the copy: history, build output, run output; node_modules is linked, not copied. */
const NOT_COPIED = new Set(['.git', 'dist', 'reports', 'node_modules']);
/** The section of docs/cases.md the drill follows. */
const SECTION = '## Adding a check';
/** Hang guard for each command run in the copy: far above what it takes. */
const COMMAND_LIMIT_MS = 5 * 60_000;

interface Step {
  /** The path as docs/cases.md names it for this step (`<name>` a placeholder). */
  doc: string;
  /** The file the drill writes or edits, relative to the project. */
  file: string;
  /** The new content of the file, from its current content ('' for a new file). */
  edit: (text: string) => string;
}

function insert(text: string, anchor: string, addition: string, where: 'before' | 'after', file: string): string {
  const at = text.indexOf(anchor);
  if (at < 0) throw new Error(`drill: ${file} no longer contains ${JSON.stringify(anchor)}: docs/cases.md "Adding a check" and the code part ways`);
  const cut = where === 'before' ? at : at + anchor.length;
  return text.slice(0, cut) + addition + text.slice(cut);
}

const CHECK_CODE = `
/** The add-a-check drill's sample (scripts/add-a-check-drill.ts). */
export const drillFinishReasonType: CheckDefinition = {
  name: '${SAMPLE.check}',
  requirement: '${SAMPLE.requirement}',
  category: 'schema',
  description: "A choice's finish_reason, when given, is a string.",
  needsJson: true,
  args: noArgs,
  run: ({ response }) =>
    everyChoice(response.json, 'finish_reason a string, when given', (c) =>
      c.finish_reason === undefined || c.finish_reason === null || typeof c.finish_reason === 'string' ? undefined : \`finish_reason is \${describe(c.finish_reason)}\`,
    ),
};

`;

const REQUIREMENT_YAML = `
  - id: ${SAMPLE.requirement}
    level: MUST
    statement: A choice's finish_reason, when given, is a string (the add-a-check drill's sample).
    source: "003"
    section: "Componentes › chatCompletionChoiceCommon"
    profiles: [azure-openai, openai]
    quote:
      - "finish_reason | string | No |"
`;

const CASE_YAML = `# The add-a-check drill's sample case (scripts/add-a-check-drill.ts).
operation: chat.completions
profiles: [azure-openai, openai]
cases:
  - id: ${SAMPLE.case}
    title: A chat completion's choices carry finish_reason as a string
    requirement: ${SAMPLE.requirement}
    request:
      body:
        messages: [{ role: user, content: Say hello. }]
    expect:
      - { check: status, equals: 200 }
      - { check: ${SAMPLE.check} }
`;

const FAULT_CODE = `
  { id: '${SAMPLE.fault}', category: 'schema', breaks: 'choices carry finish_reason 42, a number (the add-a-check drill)', proof: [{ case: '${SAMPLE.case}', fails: '${SAMPLE.check}' }] },`;

const BEHAVIOUR_CODE = `  if (faults.has('${SAMPLE.fault}')) for (const choice of body.choices as Array<Record<string, unknown>>) choice.finish_reason = 42;
`;

const UNIT_TEST = `/** The add-a-check drill's sample check on hand-made choices (scripts/add-a-check-drill.ts). */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.ts';
import type { CheckContext } from '../../src/checks/types.ts';

function verdictOn(choices: unknown[]) {
  const json = { choices };
  const response = { status: 200, headers: {}, bodyText: JSON.stringify(json), bodyBytes: 0, truncated: false, json };
  return CHECKS.get('${SAMPLE.check}')!.run({ response, requestBody: {}, args: {} } as unknown as CheckContext);
}

describe('${SAMPLE.check}', () => {
  it('passes a string or absent finish_reason and fails a number', async () => {
    expect((await verdictOn([{ index: 0, finish_reason: 'stop' }, { index: 1 }])).ok).toBe(true);
    expect((await verdictOn([{ index: 0, finish_reason: 42 }])).ok).toBe(false);
  });
});
`;

/** docs/cases.md's steps, in order, as the drill carries them out on the chat area. */
export const STEPS: Step[] = [
  {
    doc: 'src/checks/<area>.ts',
    file: 'src/checks/chat.ts',
    edit: (t) => insert(insert(t, 'export const CHECKS: CheckDefinition[] = [', CHECK_CODE, 'before', 'src/checks/chat.ts'), 'export const CHECKS: CheckDefinition[] = [', '\n  drillFinishReasonType,', 'after', 'src/checks/chat.ts'),
  },
  { doc: 'cases/requirements/<area>.yaml', file: 'cases/requirements/chat.yaml', edit: (t) => `${t.endsWith('\n') ? t : `${t}\n`}${REQUIREMENT_YAML}` },
  { doc: 'cases/<folder>/<file>.yaml', file: 'cases/chat-completions/drill-sample.yaml', edit: () => CASE_YAML },
  { doc: 'emulator/faults/<area>.ts', file: 'emulator/faults/chat.ts', edit: (t) => insert(t, 'export const FAULTS = [', FAULT_CODE, 'after', 'emulator/faults/chat.ts') },
  { doc: 'emulator/<operation>.ts', file: 'emulator/chat.ts', edit: (t) => insert(t, "  if (faults.has('chat-missing-id')) delete body.id;", BEHAVIOUR_CODE, 'before', 'emulator/chat.ts') },
  { doc: 'test/checks/<area>.test.ts', file: 'test/checks/drill-sample.test.ts', edit: () => UNIT_TEST },
];

/** A docs path with `<name>` placeholders as a pattern of real paths. */
function docPattern(doc: string): RegExp {
  return new RegExp(`^${doc.split(/<[^>]+>/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}$`);
}

/** Each step's path is named in docs/cases.md "Adding a check", and the file the drill touches fits it. */
export function stepsFollowDocs(docs: string): string[] {
  const start = docs.indexOf(SECTION);
  if (start < 0) return [`docs/cases.md has no "${SECTION}" section`];
  const next = docs.indexOf('\n## ', start + SECTION.length);
  const section = docs.slice(start, next < 0 ? undefined : next);
  return STEPS.flatMap((s) => [
    ...(section.includes(`\`${s.doc}\``) ? [] : [`docs/cases.md "${SECTION}" does not name \`${s.doc}\``]),
    ...(docPattern(s.doc).test(s.file) ? [] : [`${s.file} does not fit \`${s.doc}\``]),
  ]);
}

/** The parts of vitest's JSON report the drill reads. */
export interface VitestReport {
  testResults: Array<{ assertionResults: Array<{ fullName: string; status: string; failureMessages?: string[] }> }>;
}

/** Which expected tests ran and passed in the copy; the problems, if any (empty: the drill passed). */
export function judgeReport(report: VitestReport): { problems: string[]; rows: number } {
  const results = report.testResults.flatMap((f) => f.assertionResults);
  const problems = results.filter((r) => r.status === 'failed').map((r) => `failed: ${r.fullName}\n${(r.failureMessages ?? []).join('\n').slice(0, 2000)}`);
  const passed = (part: string) => results.filter((r) => r.status === 'passed' && r.fullName.includes(part)).length;
  const rows = passed(`under fault ${SAMPLE.fault} `);
  if (rows === 0) problems.push(`the fault matrix row for ${SAMPLE.fault} did not run and pass in any profile`);
  for (const part of ['the fault matrix is complete', 'the committed cases', 'docs/requirements.md', SAMPLE.check]) {
    if (passed(part) === 0) problems.push(`no test of "${part}" ran and passed`);
  }
  return { problems, rows };
}

function runIn(dir: string, args: string[], what: string): void {
  const ran = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: COMMAND_LIMIT_MS, env: { ...process.env, NO_COLOR: '1' } });
  if (ran.status !== 0) throw new Error(`drill: ${what} failed (exit ${ran.status ?? ran.signal}):\n${`${ran.stdout}\n${ran.stderr}`.trim().slice(-4000)}`);
}

export interface DrillOptions {
  typecheck?: boolean;
  keep?: boolean;
  /** Where the scratch copy goes (default os.tmpdir()). */
  parent?: string;
  /** Steps to carry out instead of STEPS (tests use it to see a failing drill clean up). */
  steps?: Step[];
}

export interface DrillResult {
  scratch: string;
  /** Profiles in which the new fault matrix row ran and passed. */
  rows: number;
  files: string[];
}

export function runDrill(opts: DrillOptions = {}): DrillResult {
  const steps = opts.steps ?? STEPS;
  const mismatch = stepsFollowDocs(readFileSync(join(PACKAGE_ROOT, 'docs', 'cases.md'), 'utf8'));
  if (mismatch.length) throw new Error(`drill: ${mismatch.join('; ')}`);
  const scratch = mkdtempSync(join(opts.parent ?? tmpdir(), 'aoai-drill-'));
  try {
    cpSync(PACKAGE_ROOT, scratch, { recursive: true, filter: (src) => !NOT_COPIED.has(relative(PACKAGE_ROOT, src).split(/[\\/]/)[0]) });
    symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    for (const step of steps) {
      const path = join(scratch, step.file);
      let current = '';
      try {
        current = readFileSync(path, 'utf8');
      } catch {
        // A file the step creates.
      }
      writeFileSync(path, step.edit(current));
    }
    runIn(scratch, ['bin/run-ts.js', 'scripts/requirements-doc.ts'], 'regenerating docs/requirements.md');
    if (opts.typecheck) runIn(scratch, ['node_modules/typescript/bin/tsc', '--noEmit'], 'tsc --noEmit');
    const reportFile = join(scratch, 'drill-report.json');
    const files = ['test/checks/drill-sample.test.ts', 'test/cases/load.test.ts', 'test/cases/requirements-doc.test.ts', 'test/engine/checks-vs-faults.test.ts'];
    const only = [SAMPLE.check, 'the committed cases', 'docs/requirements.md', 'the fault matrix is complete'].join('|');
    const vitest = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...files, '-t', only, '--reporter=json', `--outputFile=${reportFile}`], { cwd: scratch, encoding: 'utf8', timeout: COMMAND_LIMIT_MS, env: { ...process.env, NO_COLOR: '1' } });
    let report: VitestReport;
    try {
      report = JSON.parse(readFileSync(reportFile, 'utf8')) as VitestReport;
    } catch {
      throw new Error(`drill: the tests in the copy left no report (exit ${vitest.status ?? vitest.signal}):\n${`${vitest.stdout}\n${vitest.stderr}`.trim().slice(-4000)}`);
    }
    const { problems, rows } = judgeReport(report);
    if (problems.length) throw new Error(`drill: ${problems.join('\n')}`);
    return { scratch, rows, files: steps.map((s) => s.file) };
  } finally {
    if (!opts.keep) rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const keep = process.argv.includes('--keep');
  try {
    const result = runDrill({ typecheck: process.argv.includes('--typecheck'), keep });
    console.log(`add-a-check drill: passed (${result.files.length} files, the new fault matrix row passed in ${result.rows} profile(s))${keep ? `; copy kept in ${result.scratch}` : ''}`);
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 1;
  }
}
