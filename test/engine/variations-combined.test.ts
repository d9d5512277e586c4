/**
 * The variation matrix, second half (see ./variations.test.ts): the HTTP-envelope variations alone (they change
 * every response, so each runs every case), and every legal variation at once against every case in every profile.
 */
import { describe, expect, it } from 'vitest';
import { VARIATIONS } from '../../emulator/variations.ts';
import { eachVariationAlone, HANG_GUARD_MS, jobsFor, runMatrix } from './variation-matrix.ts';

describe('every case passes under each HTTP variation alone', () => {
  eachVariationAlone(VARIATIONS.filter((x) => x.area === 'http'));
});

describe('every case passes under all legal variations at once', () => {
  const jobs = jobsFor();
  it(`${VARIATIONS.length} variations, ${jobs.length} case runs`, { timeout: HANG_GUARD_MS }, async () => {
    const outcome = await runMatrix(VARIATIONS, jobs);
    expect(outcome.problems).toEqual([]);
  });
});
