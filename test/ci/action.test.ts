/**
 * action.yml, the repository's GitHub Action: a well-formed composite action whose inputs are all declared and
 * all used, whose run step passes only options the run command's own table has, and whose scripts, run here with
 * bash as the runner would run them, write the plain summary to the job summary and the exit code as an output.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RUN } from '../../src/cli/run.ts';
import { cleanEnv, tempDir } from '../helpers.ts';

const REPO = new URL('../..', import.meta.url).pathname;
const TEXT = readFileSync(join(REPO, 'action.yml'), 'utf8');

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}
const action = parse(TEXT) as Action;
const step = (id: string) => action.runs.steps.find((s) => s.id === id || s.name === id)!;

describe('action.yml', () => {
  it('is a composite action whose every step runs in a named shell or uses a pinned action', () => {
    expect(action.name).toBe('aoai-conformance');
    expect(action.description.length).toBeGreaterThan(10);
    expect(action.runs.using).toBe('composite');
    for (const s of action.runs.steps) {
      if (s.run !== undefined) expect(s.shell, s.name).toBe('bash');
      else expect(s.uses, s.name).toMatch(/^actions\/[\w-]+@v\d+$/);
    }
  });

  it('uses every input it declares and declares every input it uses', () => {
    const used = new Set([...TEXT.matchAll(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(action.inputs).sort());
    for (const [name, input] of Object.entries(action.inputs)) expect(input.description, name).toBeTruthy();
    const steps = new Set([...TEXT.matchAll(/\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}/g)].map((m) => m[1]));
    for (const id of steps) expect(action.runs.steps.some((s) => s.id === id), id).toBe(true);
  });

  it('passes only options of the run command, and names only those in its inputs', () => {
    const script = step('run').run!;
    const passed = [...script.matchAll(/\((?:run )?(--[\w-]+)/g)].map((m) => m[1]);
    expect(passed.sort()).toEqual(['--baseline', '--config', '--deployment', '--endpoint', '--profile', '--report-dir']);
    const named = [...JSON.stringify(action.inputs).matchAll(/\((--[\w-]+)\)/g)].map((m) => m[1]);
    for (const option of [...passed, ...named]) expect(Object.keys(RUN.spec.options), option).toContain(option.slice(2));
  });

  it('uploads the report directory, whatever the verdict, and gives the verdict last', () => {
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.if).toBe('always()');
    expect(upload.with?.path).toBe('${{ inputs.report-dir }}');
    expect(action.runs.steps.at(-1)?.name).toBe('Verdict');
    expect(action.outputs['exit-code'].value).toBe('${{ steps.run.outputs.exit-code }}');
    expect(step('run').env).toMatchObject({ NO_COLOR: '1', FORCE_COLOR: '0' });
  });
});

/**
 * Runs a step's script with bash as the runner does (`bash --noprofile --norc -eo pipefail`), in the job's `env`
 * overridden by the step's own env mapping, its inputs the defaults overridden by `given`.
 */
function runStep(s: Step, env: Record<string, string>, given: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const inputs: Record<string, string> = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? ''])), ...given };
  const mapped = Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, v.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_m, name: string) => inputs[name])]));
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', s.run!], { cwd: env.WORKSPACE, env: cleanEnv({ ...env, ...mapped }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.concurrent('its scripts, run with bash', { timeout: 300_000 }, () => {
  const github = (dir: string) => {
    const files = { GITHUB_STEP_SUMMARY: join(dir, 'summary.md'), GITHUB_OUTPUT: join(dir, 'output.txt') };
    for (const f of Object.values(files)) writeFileSync(f, '');
    return { ...files, RUNNER_TEMP: dir, WORKSPACE: dir, AOAI_CONFORMANCE_BIN: join(REPO, 'bin', 'aoai-conformance.js') };
  };

  it('write the plain summary to the job summary and the exit code as the step\'s output', async () => {
    const dir = tempDir('aoai-action-');
    const env = github(dir);
    // A workflow that forces colour: the job summary is plain all the same.
    const out = await runStep(step('run'), { ...env, FORCE_COLOR: '1' }, { args: '--only chat-minimal --only chat-stream-basic --no-allure' });
    expect(out.code, out.stderr).toBe(0);
    const summary = readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8');
    expect(summary).toMatch(/^### aoai-conformance\n\n```\n[\s\S]*verdict: every check passed \(exit 0\)[\s\S]*```\n$/);
    expect(summary).not.toContain('\x1b[');
    expect(readFileSync(env.GITHUB_OUTPUT, 'utf8')).toBe('exit-code=0\n');
    expect(existsSync(join(dir, 'conformance-report', 'results.json'))).toBe(true);
  });

  it('carry a failing verdict to the last step, which fails with it', async () => {
    const dir = tempDir('aoai-action-');
    const env = github(dir);
    const out = await runStep(step('run'), env, { args: '--only chat-minimal --fault usage-total-wrong --no-allure' });
    expect(out.code, out.stderr).toBe(0);
    expect(readFileSync(env.GITHUB_OUTPUT, 'utf8')).toBe('exit-code=1\n');
    expect(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8')).toMatch(/USAGE-TOTAL/);
    const verdict = (code: string) => runStep({ ...step('Verdict'), env: { RUN_EXIT_CODE: code } }, { WORKSPACE: dir });
    expect((await verdict('1')).code).toBe(1);
    expect((await verdict('0')).code).toBe(0);
  });
});
