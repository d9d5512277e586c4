/**
 * Each rule is said once, in its requirement's `statement`: a check's description says what the check inspects
 * and how, a fault's `breaks` what the emulator sends wrong (scripts/prose-audit.ts lists the near-duplicates).
 */
import { describe, expect, it } from 'vitest';
import { audit, overlap, phrasing, READS_AS_RULE } from '../../scripts/prose-audit.ts';

/** Shared three-word runs at or above this fraction: the description repeats the statement's phrasing. */
const REPEATED_PHRASING = 0.5;

describe('the rule prose', () => {
  const { duplicates, ruleLike } = audit(0);

  it('is not repeated by a check description', () => {
    const repeated = duplicates.filter((d) => d.kind === 'check description' && d.phrasing >= REPEATED_PHRASING);
    expect(repeated.map((d) => `${d.name} ~ ${d.requirement}: ${d.text}`)).toEqual([]);
  });

  it('is not stated by a fault: each `breaks` says the deviation', () => {
    expect(ruleLike).toEqual([]);
  });

  it('is compared with every check and fault that evidences or breaks a requirement', () => {
    expect(new Set(duplicates.filter((d) => d.kind === 'check description').map((d) => d.name)).size).toBeGreaterThan(50);
    expect(new Set(duplicates.filter((d) => d.kind === 'fault breaks').map((d) => d.name)).size).toBeGreaterThan(50);
  });
});

describe('the comparison', () => {
  const statement = "Every choice's message has role \"assistant\".";
  it('finds a description that is the statement again, and passes one that says what is read', () => {
    expect(overlap(statement, "Every choice's message has role assistant.")).toBe(1);
    expect(phrasing(statement, "Every choice's message has role assistant.")).toBeGreaterThanOrEqual(REPEATED_PHRASING);
    expect(phrasing(statement, 'Reads `message.role` in every choice of the body.')).toBeLessThan(REPEATED_PHRASING);
  });

  it('tells a rule from a deviation', () => {
    expect(READS_AS_RULE.test('the error body must carry a message')).toBe(true);
    expect(READS_AS_RULE.test('invalid requests answer 500 instead of a 4xx client error')).toBe(false);
  });
});
