/** Expectation presets (cases/presets.yaml): spliced into a case's expect in place, validated on their own. */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CASES_DIR, CaseLoadError, loadCases, PRESETS_FILE } from '../../src/cases/load.ts';
import { applyPresets } from '../../scripts/apply-presets.ts';
import { tempDir } from '../support/temp-dirs.ts';

const PRESETS = `presets:
  refused:
    description: refused with 400
    expect:
      - { check: status-class, class: 4xx }
      - { check: status, equals: 400, requirement: AOAI-INVALID-REQUEST-400 }
`;

const CASE = `operation: chat.completions
cases:
  - id: uses-preset
    title: fine
    requirement: AOAI-CHAT-MESSAGES-REQUIRED
    request: { body: { messages: [] } }
    expect:
      - { check: content-type, is: application/json }
      - { preset: refused }
      - { check: error-body }
`;

function dirWith(caseYaml: string, presetsYaml?: string): string {
  const dir = tempDir('aoai-cases-');
  for (const f of ['case.schema.json', 'requirement.schema.json', 'requirements']) cpSync(join(CASES_DIR, f), join(dir, f), { recursive: true });
  writeFileSync(join(dir, 'case.yaml'), caseYaml);
  if (presetsYaml !== undefined) writeFileSync(join(dir, PRESETS_FILE), presetsYaml);
  return dir;
}

function problemsOf(caseYaml: string, presetsYaml?: string): string[] {
  try {
    loadCases(dirWith(caseYaml, presetsYaml));
  } catch (err) {
    if (err instanceof CaseLoadError) return err.problems;
    throw err;
  }
  return [];
}

describe('a preset in a case', () => {
  it('is replaced by its entries at its place, each taking the case\'s requirement where it names none', () => {
    const [c] = loadCases(dirWith(CASE, PRESETS));
    expect(c.expect.map((e) => `${e.check} ${JSON.stringify(e.args)} ${e.requirement}`)).toEqual([
      'content-type {"is":"application/json"} AOAI-JSON-CONTENT-TYPE',
      'status-class {"class":"4xx"} AOAI-CHAT-MESSAGES-REQUIRED',
      'status {"equals":400} AOAI-INVALID-REQUEST-400',
      'error-body {} AOAI-ERROR-BODY',
    ]);
  });

  it('is the same, when used by several cases, as its entries written out', () => {
    const written = CASE.replace('      - { preset: refused }\n', '      - { check: status-class, class: 4xx }\n      - { check: status, equals: 400, requirement: AOAI-INVALID-REQUEST-400 }\n');
    expect(loadCases(dirWith(CASE, PRESETS))[0].expect).toEqual(loadCases(dirWith(written))[0].expect);
  });

  it.each([
    ['an unknown preset', CASE.replace('preset: refused', 'preset: refusd'), PRESETS, /case\.yaml: \/cases\/0\/expect\/1\/preset: unknown preset "refusd" \(known: refused\)/],
    ['a preset without a presets file', CASE, undefined, /case\.yaml: \/cases\/0\/expect\/1\/preset: unknown preset "refused" \(known: none, no presets\.yaml\)/],
    ['a preset reference with arguments', CASE.replace('{ preset: refused }', '{ preset: refused, equals: 404 }'), PRESETS, /case\.yaml: \/cases\/0\/expect\/1\/equals: unknown field/],
  ])('%s is a load error naming the case and the entry', (_name, caseYaml, presetsYaml, pattern) => {
    expect(problemsOf(caseYaml, presetsYaml).join('\n')).toMatch(pattern);
  });
});

describe('a malformed preset is a load error naming the preset', () => {
  it.each([
    ['an unknown check', PRESETS.replace('check: status-class', 'check: status-klass'), /presets\.yaml: \/presets\/refused\/expect\/0\/check: unknown check "status-klass"/],
    ['a check argument its schema rejects', PRESETS.replace('class: 4xx', 'class: 4XX'), /presets\.yaml: \/presets\/refused\/expect\/0\/class/],
    ['a requirement that is the check\'s default', PRESETS.replace('      - { check: status-class, class: 4xx }\n', '      - { check: error-body, requirement: AOAI-ERROR-BODY }\n'), /presets\.yaml: \/presets\/refused\/expect\/0\/requirement: AOAI-ERROR-BODY is the default requirement of error-body; leave it out/],
    ['an unknown requirement', PRESETS.replace('AOAI-INVALID-REQUEST-400', 'AOAI-NOPE-400'), /presets\.yaml: \/presets\/refused\/expect\/1\/requirement: unknown requirement AOAI-NOPE-400/],
    ['a preset naming another preset', PRESETS.replace('      - { check: status-class, class: 4xx }\n', '      - { preset: other }\n'), /presets\.yaml: \/presets\/refused\/expect\/0\/check: must have required property/],
    ['a preset without a description', PRESETS.replace('    description: refused with 400\n', ''), /presets\.yaml: \/presets\/refused\/description: must have required property/],
  ])('%s', (_name, presetsYaml, pattern) => {
    const problems = problemsOf(CASE, presetsYaml);
    expect(problems.join('\n')).toMatch(pattern);
    // Reported once, in the preset file: the case that uses the broken preset is not a second problem.
    expect(problems.filter((p) => p.includes('case.yaml'))).toEqual([]);
  });
});

describe('the committed presets', () => {
  const text = (file: string) => readFileSync(join(CASES_DIR, file), 'utf8');
  const files = (dir: string): string[] =>
    readdirSync(join(CASES_DIR, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));
  const caseFiles = readdirSync(CASES_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !['requirements', 'fixtures', 'seeds'].includes(e.name))
    .flatMap((e) => files(e.name));
  const presets = parse(text(PRESETS_FILE)) as { presets: Record<string, { expect: unknown[] }> };
  const list = Object.entries(presets.presets).map(([name, p]) => ({ name, entries: p.expect.map((e) => JSON.stringify(e)) }));

  it('are each used by some case', () => {
    const used = new Set(caseFiles.flatMap((f) => [...text(f).matchAll(/\{ preset: ([a-z0-9-]+) \}/g)].map((m) => m[1])));
    expect(Object.keys(presets.presets).filter((name) => !used.has(name))).toEqual([]);
  });

  it('are not spelled out in any case (scripts/apply-presets.ts has nothing left to rewrite)', () => {
    expect(caseFiles.length).toBeGreaterThan(10);
    expect(caseFiles.filter((f) => applyPresets(text(f), list).text !== text(f))).toEqual([]);
  });
});
