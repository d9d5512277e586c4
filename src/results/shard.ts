/**
 * `--shard i/n`: a deterministic split of the selected cases for parallel CI jobs. The selected case
 * ids are sorted and dealt round-robin, so shards differ in size by at most one case and every machine
 * computes the same split from the same cases and filters.
 */
import type { Shard } from './model.ts';

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new Error(`--shard must be i/n with 1 ≤ i ≤ n (e.g. 2/4), got "${text}"`);
  return { index, count };
}

export function formatShard(s: Shard): string {
  return `${s.index}/${s.count}`;
}

/** The cases of one shard, in their original order. */
export function inShard<T extends { id: string }>(cases: T[], shard: Shard | undefined): T[] {
  if (!shard || shard.count === 1) return cases;
  const ids = [...new Set(cases.map((c) => c.id))].sort();
  const mine = new Set(ids.filter((_, i) => i % shard.count === shard.index - 1));
  return cases.filter((c) => mine.has(c.id));
}
