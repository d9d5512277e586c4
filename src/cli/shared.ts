/** Option readers shared by several commands. */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Baseline } from '../results/baseline.ts';
import type { CaseSpec } from '../model.ts';
import type { Shard } from '../results/model.ts';
import { parseShard } from '../results/shard.ts';
import { UsageError } from './options.ts';

/** The report directory, created now: a path that cannot hold the reports is a usage error, not a lost run. */
export function reportDirOption(path: string | undefined): string {
  const dir = resolve(path ?? 'conformance-report');
  try {
    makeDirectory(dir);
    const probe = join(dir, `.aoai-conformance-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (err) {
    throw new UsageError(`--report-dir ${dir} cannot hold the reports: ${(err as Error).message}`);
  }
  return dir;
}

/**
 * `mkdir -p`, one level at a time: Node 20's recursive mkdirSync can loop forever on some paths (under /proc),
 * and a report directory that cannot be made must be an error, never a hang.
 */
export function makeDirectory(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    if (dirname(d) === d || missing.length > 64) break;
    missing.unshift(d);
  }
  for (const d of missing) mkdirSync(d);
  if (!statSync(dir).isDirectory()) throw new Error('not a directory');
}

export function shardOption(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  try {
    return parseShard(text);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The emulator's legal variations named on the command line (repeatable `--variation ID`), checked against the registry. */
export async function variationsOption(ids: string[] | undefined, listHint: string): Promise<string[]> {
  const { VARIATION_IDS } = await import('../../emulator/variations.ts');
  for (const id of ids ?? []) if (!VARIATION_IDS.has(id)) throw new UsageError(`unknown variation "${id}" (see ${listHint})`);
  return ids ?? [];
}

/** One line per variation: id, what it does, and the seed line that allows it. */
export async function variationLines(): Promise<string[]> {
  const { VARIATIONS } = await import('../../emulator/variations.ts');
  const indent = ' '.repeat(33);
  return VARIATIONS.map((v) => [`${v.id.padEnd(32)} ${v.does}`, `${indent}allowed by ${v.allowedBy.map((q) => `${q.seed}: "${q.quote}"`).join('; ')}`, ...(v.because ? [`${indent}because ${v.because}`] : [])].join('\n'));
}

/** The modules behind a baseline (its schema, the checks) are loaded only by a run that names one. */
export async function baselineOption(path: string, cases: CaseSpec[]): Promise<Baseline> {
  const [{ loadBaseline }, { CHECKS, TRANSPORT_CHECK }, { OFFICIAL_CLIENT_CHECK }] = await Promise.all([import('../results/baseline.ts'), import('../checks/index.ts'), import('../judges/index.ts')]);
  const baseline = loadBaseline(resolve(path), { cases: new Set(cases.map((c) => c.id)), checks: new Set([...CHECKS.keys(), TRANSPORT_CHECK, OFFICIAL_CLIENT_CHECK]) });
  for (const note of baseline.renamed ?? []) console.error(`aoai-conformance: baseline ${path}: ${note}`);
  return baseline;
}
