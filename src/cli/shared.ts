/** Option readers shared by several commands. */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Baseline, loadBaseline } from '../baseline.ts';
import { CHECKS, TRANSPORT_CHECK } from '../checks/index.ts';
import type { CaseSpec } from '../model.ts';
import type { Shard } from '../results.ts';
import { parseShard } from '../shard.ts';
import { UsageError } from './options.ts';

/** The report directory, created now: a path that cannot hold the reports is a usage error, not a lost run. */
export function reportDirOption(path: string | undefined): string {
  const dir = resolve(path ?? 'conformance-report');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UsageError(`--report-dir ${dir}: ${(err as Error).message}`);
  }
  return dir;
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

export function baselineOption(path: string, cases: CaseSpec[]): Baseline {
  return loadBaseline(resolve(path), { cases: new Set(cases.map((c) => c.id)), checks: new Set([...CHECKS.keys(), TRANSPORT_CHECK]) });
}
