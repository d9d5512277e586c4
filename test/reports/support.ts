/** Helpers for the report and CI-semantics tests: the CLI as a child process, temp dirs, results. */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResults } from '../../src/results/model.ts';
import { type CliOutcome, runCli, tempDir as helpersTempDir } from '../helpers.ts';

export const BIN = new URL('../../bin/aoai-conformance.js', import.meta.url).pathname;
export const PACKAGE_ROOT = new URL('../../', import.meta.url).pathname;
/** The credential of every CLI run here; no artifact may contain it. */
export const SECRET = 'sk-report-secret-4e7a91c0d2b84f6a9e13';

export type Outcome = CliOutcome;

/** The CLI with this file's credential, as CI runs it. */
export function cli(args: string[], env: Record<string, string | undefined> = {}, cwd = PACKAGE_ROOT): Promise<Outcome> {
  return runCli(args, { AZURE_OPENAI_API_KEY: SECRET, OPENAI_API_KEY: SECRET, CI: 'true', ...env }, cwd);
}

/** test/helpers.ts's tempDir (removed at the end of the calling file), with the report tests' prefix. */
export function tempDir(prefix = 'aoai-report-'): string {
  return helpersTempDir(prefix);
}

export function readResults(dir: string): RunResults {
  return JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResults;
}

export function writeFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Every file under a directory, recursively, with its text. */
export function filesUnder(dir: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push([path, readFileSync(path, 'utf8')]);
  }
  return out;
}

/**
 * Unix times the target stamps (`created`), the emulator's loopback address (each run picks a port) and
 * the ids of the image files it publishes (random, as a real service's URLs are unique).
 */
function timeless(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/http:\/\/127\.0\.0\.1:\d+/g, '<emulator>').replace(/\/emulator\/files\/[0-9a-f-]{36}/g, '/emulator/files/<id>');
  if (Array.isArray(value)) return value.map(timeless);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, /^created(_at)?$/.test(k) && typeof v === 'number' ? '<time>' : timeless(v)]));
  return value;
}

/**
 * What two runs of the same cases against the same (deterministic) target must agree on: everything
 * in results.json except what legitimately differs between runs — start and finish times, wall times
 * and durations; the exchange except its response status (each run has its own emulator port, dates
 * and random request ids in headers; the curl reproduction carries the port too); and, inside checks'
 * expected/actual/message, Unix `created` times, the emulator's address and its published files' ids.
 */
export function comparable(r: RunResults): unknown {
  return {
    target: { ...r.target, endpoint: r.target.emulator ? '(emulator)' : r.target.endpoint },
    selection: { filters: r.selection.filters, planned: r.selection.planned },
    summary: r.summary,
    verdict: r.verdict,
    runErrors: r.runErrors,
    requirements: r.requirements,
    coverage: r.coverage,
    baseline: r.baseline,
    cases: r.cases.map(({ durationMs: _d, exchange, reproduce: _r, checks, ...rest }) => ({ ...rest, checks: timeless(checks), status_: exchange?.response?.status ?? exchange?.transportError ?? null })),
  };
}
