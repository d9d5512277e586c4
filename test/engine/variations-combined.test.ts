/**
 * The variation matrix, second half (see ./variations.test.ts): the HTTP-envelope variations alone (they change
 * every response, so each runs every case), and every legal variation at once against every case in every profile.
 */
import { describe, expect, it } from 'vitest';
import { VARIATIONS } from '../../emulator/variations.ts';
import { HANG_GUARD_MS, jobsFor, runMatrix } from './variation-matrix.ts';

describe('every case passes under each HTTP variation alone', () => {
  for (const v of VARIATIONS.filter((x) => x.area === 'http')) {
    const jobs = jobsFor(v);
    it(`${v.id} (${jobs.length} case runs)`, { timeout: HANG_GUARD_MS }, async () => {
      const outcome = await runMatrix([v], jobs, { compare: true });
      expect(outcome.problems).toEqual([]);
      expect(outcome.stale, 'PENDING_AUDIT rows that no longer fail: remove them').toEqual([]);
      expect(outcome.unneededWarnings, 'expectedWarnings that never occur: remove them').toEqual([]);
      expect(outcome.changed, `${v.id} changes no response (a no-op switch)`).toBeGreaterThan(0);
    });
  }
});

describe('every case passes under all legal variations at once', () => {
  const jobs = jobsFor();
  it(`${VARIATIONS.length} variations, ${jobs.length} case runs`, { timeout: HANG_GUARD_MS }, async () => {
    const outcome = await runMatrix(VARIATIONS, jobs);
    expect(outcome.problems).toEqual([]);
  });
});
