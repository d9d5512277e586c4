/**
 * The dual of the fault matrix: a conformant server that answers in an unusual but legal way must pass. Every case
 * runs, in every profile it applies to, under each legal variation alone (the case runs whose responses it can
 * change): no MUST failure, no error, and no SHOULD/MAY warning except those a variation declares and the documents
 * justify (a requirement resting on observed behaviour). Each variation changes at least one response, and every
 * seed line it cites is in the seed. The HTTP variations and all variations at once run in
 * ./variations-combined.test.ts (a second file, so the two halves use both cores).
 */
import { describe, expect, it } from 'vitest';
import { VARIATIONS } from '../../emulator/variations.ts';
import { CHECKS } from '../../src/checks/index.ts';
import { cases } from '../helpers.ts';
import { seedText } from '../support/seeds.ts';
import { eachVariationAlone, jobsFor, PENDING_AUDIT } from './variation-matrix.ts';

describe('the variation registry', () => {
  it('describes every variation: operations, what it does, and at least one seed quote', () => {
    for (const v of VARIATIONS) {
      expect(v.operations.length, v.id).toBeGreaterThan(0);
      expect(v.does.length, v.id).toBeGreaterThan(10);
      expect(v.allowedBy.length, v.id).toBeGreaterThan(0);
      for (const check of v.expectedWarnings?.checks ?? []) expect(CHECKS.has(check), `${v.id} names check ${check}`).toBe(true);
    }
  });

  it('quotes the seeds verbatim', () => {
    const missing = VARIATIONS.flatMap((v) => v.allowedBy.filter((q) => !seedText(q.seed).includes(q.quote)).map((q) => `${v.id}: seed ${q.seed} has no ${JSON.stringify(q.quote)}`));
    expect(missing).toEqual([]);
  });

  it('names in PENDING_AUDIT only variations, cases and checks that exist', () => {
    for (const p of PENDING_AUDIT) {
      expect(VARIATIONS.some((v) => v.id === p.variation), p.variation).toBe(true);
      if (p.case !== '*') expect(cases.some((c) => c.id === p.case), p.case).toBe(true);
      expect(CHECKS.has(p.check), p.check).toBe(true);
    }
  });

  it('gives every variation case runs to prove it on', () => {
    expect(VARIATIONS.filter((v) => jobsFor(v).length === 0).map((v) => v.id)).toEqual([]);
  });
});

describe('every case passes under each legal variation alone', () => {
  eachVariationAlone(VARIATIONS.filter((x) => x.area !== 'http'));
});
