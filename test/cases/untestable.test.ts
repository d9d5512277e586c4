/**
 * The seed statements no black-box case can evidence (cases/requirements/untestable.yaml): a valid list, quoted
 * verbatim from the seeds like the requirements are, and never a statement a requirement quotes (that one is evidenced).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASES_DIR, CaseLoadError, loadRequirements, REQUIREMENTS_DIR, UNTESTABLE_FILE } from '../../src/cases/load.ts';
import { loadSeeds } from '../../src/cases/seeds.ts';
import { tempDir } from '../helpers.ts';
import { loadUntestable, type Untestable, untestableProblems } from '../../src/cases/untestable.ts';

const seeds = loadSeeds();
const requirements = [...loadRequirements().values()];

function problemsOfFile(yaml: string): string[] {
  const dir = tempDir('aoai-untestable-');
  cpSync(join(CASES_DIR, REQUIREMENTS_DIR), join(dir, REQUIREMENTS_DIR), { recursive: true });
  writeFileSync(join(dir, REQUIREMENTS_DIR, UNTESTABLE_FILE), yaml);
  try {
    loadUntestable(dir);
  } catch (err) {
    if (err instanceof CaseLoadError) return err.problems;
    throw err;
  }
  return [];
}

describe('the untestable list', () => {
  const list = loadUntestable();

  it('is valid and holds real statements of both seeds, not padding', () => {
    expect(list.length).toBeGreaterThanOrEqual(10);
    expect(list.length).toBeLessThanOrEqual(40);
    expect(new Set(list.map((u) => u.source))).toEqual(new Set(['003', '000']));
  });

  it('quotes each statement verbatim from its seed, and none that a requirement quotes', () => {
    expect(untestableProblems(list, seeds, requirements)).toEqual([]);
  });

  it('is not part of the catalogue (no requirement comes from it)', () => {
    const ids = new Set(requirements.map((r) => r.id));
    expect(list.filter((u) => ids.has(u.id))).toEqual([]);
    expect(requirements.length).toBeGreaterThan(100);
  });
});

describe('untestableProblems catches what the test above relies on', () => {
  const base: Untestable = { id: 'x-test', source: '003', section: 's', quote: 'El mensaje debe estar en inglés.', reason: 'r' };
  const quotedByRequirement = requirements.find((r) => r.id === 'AOAI-CHAT-TEMPERATURE-RANGE')!;
  const itsQuote = ([] as string[]).concat(quotedByRequirement.quote!)[0];

  it('accepts a seed quote no requirement quotes', () => {
    expect(untestableProblems([base], seeds, requirements)).toEqual([]);
  });

  it('a quote that is not in the seed it names', () => {
    expect(untestableProblems([{ ...base, source: '000' }], seeds, requirements)).toEqual([`x-test: quote not found in seed 000: ${JSON.stringify(base.quote)}`]);
  });

  it('a quote a requirement quotes, whole or in part, or one that contains a requirement\'s quote', () => {
    expect(untestableProblems([{ ...base, quote: itsQuote }], seeds, requirements)).toContain(`x-test: quote is also quoted by requirement AOAI-CHAT-TEMPERATURE-RANGE: ${JSON.stringify(itsQuote)}`);
    expect(untestableProblems([{ ...base, quote: itsQuote.slice(0, 30) }], seeds, requirements).join('\n')).toContain('also quoted by requirement AOAI-CHAT-TEMPERATURE-RANGE');
    const seed = seeds.get('003')!;
    const around = seed.slice(seed.indexOf(itsQuote) - 20, seed.indexOf(itsQuote) + itsQuote.length + 20);
    expect(untestableProblems([{ ...base, quote: around }], seeds, requirements).join('\n')).toContain('also quoted by requirement AOAI-CHAT-TEMPERATURE-RANGE');
  });
});

describe('a malformed untestable file is a load error naming the field', () => {
  const committed = readFileSync(join(CASES_DIR, REQUIREMENTS_DIR, UNTESTABLE_FILE), 'utf8');

  it('accepts the committed file', () => {
    expect(problemsOfFile(committed)).toEqual([]);
  });

  it.each([
    ['an entry without a reason', committed.replace(/\n    reason: .*/, ''), /untestable\/0: must have required property 'reason'/],
    ['a seed that is not one', committed.replace('source: "003"', 'source: "004"'), /untestable\/0\/source: must be equal to one of the allowed values/],
    ['an unknown field', committed.replace('    reason: ', '    level: MUST\n    reason: '), /untestable\/0: must NOT have additional properties/],
    ['a duplicate id', committed.replace('id: model-context-lengths', 'id: training-document-separator'), /duplicate id training-document-separator/],
  ])('%s', (_name, yaml, pattern) => {
    expect(problemsOfFile(yaml).join('\n')).toMatch(pattern);
  });
});
