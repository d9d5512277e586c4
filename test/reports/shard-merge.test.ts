/**
 * Sharding: `--shard i/n` deals the selected cases into n disjoint parts that cover them all, and
 * `merge` of every shard's results equals an unsharded run (equal as defined by `comparable`: the
 * same selection, summary, verdict, coverage, requirements and, per case, the same status, checks —
 * expected, actual, message — and response status; timings and exchange details excluded).
 */
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inShard, parseShard } from '../../src/results/shard.ts';
import type { RunResults } from '../../src/results/model.ts';
import { cli, comparable, readResults, tempDir } from './support.ts';

describe('inShard', () => {
  it('partitions any set of ids: disjoint, complete, sizes within one, independent of input order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 80 }), fc.integer({ min: 1, max: 9 }), (ids, n) => {
        const cases = ids.map((id) => ({ id }));
        const parts = Array.from({ length: n }, (_, i) => inShard(cases, { index: i + 1, count: n }).map((c) => c.id));
        const all = parts.flat();
        expect(new Set(all).size).toBe(all.length);
        expect([...all].sort()).toEqual([...ids].sort());
        const sizes = parts.map((p) => p.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        const reversed = [...cases].reverse();
        expect(inShard(reversed, { index: 1, count: n }).map((c) => c.id).sort()).toEqual([...parts[0]].sort());
      }),
    );
  });

  it.each(['0/3', '4/3', '1/0', '2', 'a/b', '1/3/4'])('rejects --shard %s', (text) => {
    expect(() => parseShard(text)).toThrow(/--shard/);
  });
});

describe('merge of shard results (CLI)', () => {
  // Failures and warnings make the comparison meaningful: the verdict, messages and diffs must survive.
  const common = ['--no-allure', '--fault', 'usage-total-wrong', '--fault', 'auth-status-403'];
  let full: RunResults;
  const shardDirs: string[] = [];

  beforeAll(async () => {
    const dir = tempDir();
    const outs = await Promise.all([
      cli(['run', ...common, '--report-dir', dir]),
      ...[1, 2, 3].map((i) => {
        const d = tempDir();
        shardDirs.push(d);
        return cli(['run', ...common, '--shard', `${i}/3`, '--report-dir', d]);
      }),
    ]);
    for (const out of outs) expect([0, 1], out.stderr + out.stdout).toContain(out.code);
    full = readResults(dir);
  }, 180_000);

  it('each shard ran a disjoint part', () => {
    const parts = shardDirs.map((d) => readResults(d));
    expect(parts.map((p) => p.selection.shard)).toEqual([1, 2, 3].map((index) => ({ index, count: 3 })));
    const ids = parts.flatMap((p) => p.cases.map((c) => c.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(parts.every((p) => p.cases.length > 0)).toBe(true);
  });

  it('merging every shard equals the unsharded run, and exits as it would', async () => {
    const out = tempDir();
    const merged = await cli(['merge', ...shardDirs, '--report-dir', out]);
    expect(merged.code, merged.stderr).toBe(full.verdict.exitCode);
    for (const f of ['results.json', 'junit.xml', 'report.html']) expect(existsSync(join(out, f)), f).toBe(true);
    const r = readResults(out);
    expect(r.merged).toEqual({ shards: [1, 2, 3].map((index) => ({ index, count: 3 })), runs: 3 });
    expect(comparable(r)).toEqual(comparable(full));
    expect(merged.stdout).toContain(`passed ${full.summary.passed}`);
  });

  it('a missing shard makes the merged run fail as incomplete, and says so', async () => {
    const out = tempDir();
    const merged = await cli(['merge', shardDirs[0], shardDirs[2], '--report-dir', out]);
    const r = readResults(out);
    expect(r.runErrors.join('\n')).toContain('shard 2/3 is missing');
    expect(r.verdict.reason).toContain('shard 2/3 is missing');
    // Exit 2 (incomplete), or 1 when the shards present already hold a failure.
    expect(merged.code).toBe(r.summary.failed > 0 ? 1 : 2);
    expect(merged.stdout).toContain('RUN ERROR shard 2/3 is missing');
  });

  it('the same shard twice, or runs of different profiles, cannot be merged (exit 2)', async () => {
    const twice = await cli(['merge', shardDirs[0], shardDirs[0], '--report-dir', tempDir()]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('given twice');
    const other = tempDir();
    await cli(['run', '--profile', 'openai', '--only', 'chat-minimal', '--report-dir', other]);
    const mixed = await cli(['merge', shardDirs[0], other, '--report-dir', tempDir()]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('profiles');
  });
});
