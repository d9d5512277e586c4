/**
 * Never stricter than the documents: every MUST quotes the seed text that makes it one, and every quote is in the seed
 * (cases/seeds/) it names, verbatim once whitespace is normalised. A SHOULD or MAY says what it rests on.
 */
import { describe, expect, it } from 'vitest';
import { loadRequirements } from '../../src/cases/load.ts';
import { loadSeeds, normaliseWhitespace, quoteProblems, quotesOf } from '../../src/cases/seeds.ts';
import type { Requirement } from '../../src/model.ts';
import { requirementFor } from '../../src/requirements.ts';

const seeds = loadSeeds();
// Each source of a requirement with a source per profile group is held to the rules on its own.
const catalogue = [...loadRequirements().values()].flatMap((r) => (r.sources ? r.sources.map((s) => requirementFor(r, s.profiles[0])) : [r]));

const base: Requirement = { id: 'X-TEST', level: 'MUST', statement: 's', source: '003', section: 'x', profiles: ['azure-openai'] };

describe('the catalogue and the seeds', () => {
  it('every MUST quotes its seed, and every quote is in the seed it names', () => {
    expect(quoteProblems(catalogue, seeds)).toEqual([]);
  });

  it('only HTTP itself makes a MUST without a quote', () => {
    const unquoted = catalogue.filter((r) => r.level === 'MUST' && quotesOf(r).length === 0).map((r) => `${r.id} (${r.source})`);
    expect(unquoted).toEqual(['HTTP-RESPONSE (http)']);
  });

  it('a MUST never rests on the official OpenAPI file, a later version or observed behaviour', () => {
    expect(catalogue.filter((r) => r.level === 'MUST' && (r.basis?.length || r.source === 'observed')).map((r) => r.id)).toEqual([]);
  });

  it('every requirement resting on observed behaviour says so in its basis', () => {
    expect(catalogue.filter((r) => r.source === 'observed' && !r.basis?.includes('observed') && !r.basis?.includes('other-docs')).map((r) => r.id)).toEqual([]);
  });

  it('quotes are Spanish where the seed is (a quote of seed 003 is in no other seed)', () => {
    const english = seeds.get('000')!;
    const borrowed = catalogue.filter((r) => r.source === '003').flatMap((r) => quotesOf(r).filter((q) => english.includes(normaliseWhitespace(q)) && /[a-z]{4,} [a-z]{4,} [a-z]{4,}/i.test(q)).map((q) => `${r.id}: ${q}`));
    expect(borrowed).toEqual([]);
  });
});

describe('quoteProblems catches what the test above relies on', () => {
  it('a MUST without a quote', () => {
    expect(quoteProblems([base], seeds)).toEqual(['X-TEST: a MUST without a quote of the seed that makes it one']);
  });

  it('a quote that is not in the seed it names (here: seed 000 text attributed to seed 003)', () => {
    const r = { ...base, quote: 'The returned text will not contain the stop sequence.' };
    expect(quoteProblems([r], seeds)).toEqual([`X-TEST: quote not found in seed 003: ${JSON.stringify(r.quote)}`]);
    expect(quoteProblems([{ ...r, source: '000' }], seeds)).toEqual([]);
  });

  it('a paraphrase is not a quote, but a line break inside one is whitespace', () => {
    expect(quoteProblems([{ ...base, quote: 'El texto devuelto no contiene la secuencia de detención.' }], seeds)).toHaveLength(1);
    expect(quoteProblems([{ ...base, quote: 'El texto devuelto no contendrá\n   la secuencia de detención.' }], seeds)).toEqual([]);
  });

  it('a MUST whose source is not a seed', () => {
    expect(quoteProblems([{ ...base, source: 'observed', quote: undefined }], seeds)).toContain('X-TEST: a MUST whose source is observed, not a seed');
  });

  it('a SHOULD with neither a quote nor a basis', () => {
    expect(quoteProblems([{ ...base, level: 'SHOULD' }], seeds)).toEqual(['X-TEST: a SHOULD that names neither a quote nor what it rests on (basis)']);
    expect(quoteProblems([{ ...base, level: 'SHOULD', basis: ['official-openapi'] }], seeds)).toEqual([]);
  });
});
