/** One requirement per rule: where the profiles' documents differ, each profile group has its own source and level. */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASES_DIR, CaseLoadError, loadRequirements } from '../../src/cases/load.ts';
import { loadSeeds, quoteProblems } from '../../src/cases/seeds.ts';
import type { CaseSpec, Requirement } from '../../src/model.ts';
import { tempDir } from '../support/temp-dirs.ts';
import { caseAtProfile, requirementFor, requirementsFor, sourceProblems, sourcesOf } from '../../src/requirements.ts';

const twoSources: Requirement = {
  id: 'X-CONTENT-TYPE',
  level: 'MUST',
  statement: 'JSON responses are labelled application/json.',
  source: '003',
  section: 's003',
  profiles: ['azure-openai', 'openai', 'model-inference'],
  sources: [
    { profiles: ['azure-openai', 'openai'], level: 'MUST', source: '003', section: 's003', quote: 'El texto devuelto no contendrá la secuencia de detención.' },
    { profiles: ['model-inference'], level: 'SHOULD', source: '000', section: 's000', statement: 'as 000 says it', basis: ['seed-example'] },
  ],
};

describe('a requirement with a source per profile group', () => {
  it('applies, for each profile, the level, source, section and statement of that profile\'s source', () => {
    const mi = requirementFor(twoSources, 'model-inference');
    expect([mi.level, mi.source, mi.section, mi.statement, mi.basis]).toEqual(['SHOULD', '000', 's000', 'as 000 says it', ['seed-example']]);
    expect(mi.quote).toBeUndefined();
    const azure = requirementFor(twoSources, 'openai');
    expect([azure.level, azure.source, azure.statement]).toEqual(['MUST', '003', twoSources.statement]);
    expect(requirementsFor(new Map([[twoSources.id, twoSources]]), 'model-inference').get(twoSources.id)?.level).toBe('SHOULD');
  });

  it('leaves a requirement with one source as it is', () => {
    const one: Requirement = { id: 'X-ONE', level: 'MAY', statement: 's', source: '000', section: 'x', profiles: ['model-inference'], basis: ['observed'] };
    expect(requirementFor(one, 'azure-openai')).toBe(one);
    expect(sourcesOf(one)).toEqual([{ profiles: ['model-inference'], level: 'MAY', source: '000', section: 'x', basis: ['observed'] }]);
  });

  it('puts a case at its requirement\'s level for the run\'s profile', () => {
    const spec = { id: 'c', requirement: twoSources.id, level: 'MUST', profiles: ['azure-openai', 'model-inference'] } as CaseSpec;
    const catalogue = new Map([[twoSources.id, twoSources]]);
    expect(caseAtProfile(spec, catalogue, 'model-inference').level).toBe('SHOULD');
    expect(caseAtProfile(spec, catalogue, 'azure-openai')).toBe(spec);
  });

  it('names every profile in exactly one source', () => {
    expect(sourceProblems(twoSources)).toEqual([]);
    const [a, b] = twoSources.sources!;
    expect(sourceProblems({ ...twoSources, sources: [a, { ...b, profiles: ['model-inference', 'openai'] }] })).toEqual(['/sources/1/profiles: openai is also in source 0']);
    expect(sourceProblems({ ...twoSources, sources: [{ ...a, profiles: ['azure-openai'] }, b] })).toEqual(['/sources: no source for profile openai']);
    expect(sourceProblems({ ...twoSources, profiles: ['azure-openai', 'openai'] })).toEqual(['/sources/1/profiles: model-inference is not a profile of X-CONTENT-TYPE']);
  });

  it('has its quotes checked per source, against the seed each source names', () => {
    const seeds = loadSeeds();
    expect(quoteProblems([twoSources], seeds)).toEqual([]);
    const [a, b] = twoSources.sources!;
    const wrongSeed = { ...twoSources, sources: [a, { ...b, level: 'MUST' as const, basis: undefined, quote: 'El texto devuelto no contendrá la secuencia de detención.' }] };
    expect(quoteProblems([wrongSeed], seeds)).toEqual([`X-CONTENT-TYPE (model-inference): quote not found in seed 000: "El texto devuelto no contendrá la secuencia de detención."`]);
    const unquotedMust = { ...twoSources, sources: [a, { ...b, level: 'MUST' as const, basis: undefined }] };
    expect(quoteProblems([unquotedMust], seeds)).toEqual(['X-CONTENT-TYPE (model-inference): a MUST without a quote of the seed that makes it one']);
  });
});

describe('the catalogue schema', () => {
  function load(yaml: string): string[] {
    const dir = tempDir('aoai-requirements-');
    cpSync(join(CASES_DIR, 'requirement.schema.json'), join(dir, 'requirement.schema.json'));
    cpSync(join(CASES_DIR, 'requirements'), join(dir, 'requirements'), { recursive: true });
    writeFileSync(join(dir, 'requirements', 'zz-test.yaml'), yaml);
    try {
      loadRequirements(dir);
    } catch (err) {
      if (err instanceof CaseLoadError) return err.problems.map((p) => p.slice(p.indexOf('zz-test.yaml')));
      throw err;
    }
    return [];
  }
  const entry = (sources: string, extra = '') => `requirements:
  - id: X-TWO-SOURCES
    statement: s
    profiles: [azure-openai, model-inference]${extra}
    sources:
${sources}`;
  const azure = `      - { profiles: [azure-openai], level: MUST, source: "003", section: a, quote: "con el flujo terminado por un mensaje de datos: [DONE]." }`;
  const mi = `      - { profiles: [model-inference], level: SHOULD, source: "000", section: b, basis: [seed-example] }`;

  it('accepts sources, one per profile group', () => {
    expect(load(entry(`${azure}\n${mi}`))).toEqual([]);
  });

  it('refuses a requirement with both sources and a source of its own, a MUST source resting on a basis, and a profile without a source', () => {
    expect(load(entry(`${azure}\n${mi}`, '\n    level: MUST')).join('\n')).toMatch(/^zz-test\.yaml: \/requirements\/0/);
    expect(load(entry(`${azure}\n${mi.replace('SHOULD', 'MUST')}`)).join('\n')).toMatch(/zz-test\.yaml: \/requirements\/0\/sources\/1/);
    expect(load(entry(`${azure}\n${mi.replace('model-inference', 'azure-openai')}`))).toContain('zz-test.yaml: /requirements/0/sources/1/profiles: azure-openai is also in source 0');
  });
});
