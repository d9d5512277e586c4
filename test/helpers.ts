/** Shared helpers for the project's own tests: an emulator per fault set, one case run against it, the CLI. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, DEFAULT_DEPLOYMENTS } from '../emulator/server.ts';
import { loadCases, loadRequirements } from '../src/cases/load.ts';
import { runCase } from '../src/engine/run-case.ts';
import type { CaseResult, CaseSpec, ProfileName } from '../src/model.ts';
import type { RunResults } from '../src/results/model.ts';
import { targetFor } from '../src/target.ts';
import { tempDir } from './support/temp-dirs.ts';

export { tempDir };

export const TEST_KEY = 'test-key-9f2c1d7e5a3b4c6d8e0f';
export const requirements = loadRequirements();
export const cases = loadCases(undefined, requirements);

export function caseById(id: string): CaseSpec {
  const spec = cases.find((c) => c.id === id);
  if (!spec) throw new Error(`no case ${id}`);
  return spec;
}

export async function withEmulator<T>(faults: string[], fn: (url: string) => Promise<T>): Promise<T> {
  const emu = await startEmulator({ key: TEST_KEY, faults });
  try {
    return await fn(emu.url);
  } finally {
    await emu.close();
  }
}

/** Far above the time any exchange with the emulator takes, even on a loaded machine: a time limit that must never fire. */
export const REQUEST_HANG_GUARD_MS = 60_000;

export interface RunAgainstOptions {
  /** A short idle limit for a stream that is meant to hang (its firing is the event under test). */
  streamIdleTimeoutMs?: number;
}

export async function runAgainst(url: string, spec: CaseSpec, profile: ProfileName = 'azure-openai', opts: RunAgainstOptions = {}): Promise<CaseResult> {
  const base = targetFor({ profile, endpoint: url, deployment: DEFAULT_DEPLOYMENTS[0], emulator: true, requestTimeoutMs: REQUEST_HANG_GUARD_MS });
  const target = opts.streamIdleTimeoutMs === undefined ? base : { ...base, stream: { ...base.stream, idleTimeoutMs: opts.streamIdleTimeoutMs } };
  return runCase(spec, { target, apiKey: TEST_KEY, requirements });
}

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

const BIN = new URL('../bin/aoai-conformance.js', import.meta.url).pathname;

/**
 * Variables the run reads for its target and transport: the tests' own environment never chooses a target or a
 * proxy for them (a developer's AZURE_OPENAI_ENDPOINT or HTTPS_PROXY), only what a test passes.
 */
export const TARGET_VARIABLES = ['AZURE_OPENAI_ENDPOINT', 'OPENAI_BASE_URL', 'OPENAI_API_VERSION', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];

export function cleanEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env };
  for (const v of TARGET_VARIABLES) delete out[v];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

let cliWorkingDirectory: string | undefined;

/**
 * Where the CLI runs: a temporary directory of the test file's, so what a run writes by default (conformance-report/,
 * even for a usage error found after the report directory was made) is removed with it, not left in the checkout.
 */
export function cliCwd(): string {
  return (cliWorkingDirectory ??= tempDir('aoai-cli-cwd-'));
}

/** Runs the CLI as a user would, in a child process. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, cwd?: string): Promise<CliOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: cwd ?? cliCwd(), env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}


export function readResultsFile(dir: string): RunResults {
  return JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResults;
}
