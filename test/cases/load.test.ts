/** Cases are data validated on load: a malformed case is an error naming the file and the field. */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASES_DIR, CaseLoadError, loadCases, loadRequirements } from '../../src/cases/load.ts';
import { CHECKS } from '../../src/checks/index.ts';
import { tempDir } from '../support/temp-dirs.ts';

function dirWith(caseYaml: string): string {
  const dir = tempDir('aoai-cases-');
  for (const f of ['case.schema.json', 'requirement.schema.json', 'requirements']) cpSync(join(CASES_DIR, f), join(dir, f), { recursive: true });
  writeFileSync(join(dir, 'broken.yaml'), caseYaml);
  return dir;
}

function problemsOf(caseYaml: string): string[] {
  try {
    loadCases(dirWith(caseYaml));
  } catch (err) {
    if (err instanceof CaseLoadError) return err.problems;
    throw err;
  }
  return [];
}

const VALID = `operation: chat.completions
cases:
  - id: ok-case
    title: fine
    requirement: AOAI-CHAT-200
    request: { body: { messages: [] } }
    expect:
      - { check: status, equals: 200 }
`;

describe('the committed cases', () => {
  const requirements = loadRequirements();
  const cases = loadCases(undefined, requirements);

  it('load without problems and have unique ids', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it('carry an id, requirement, level, seed reference, operation, request and expectations', () => {
    for (const c of cases) {
      expect(c.seed, c.id).toMatch(/^(003|000|observed|http) §/);
      expect(requirements.get(c.requirement)?.level, c.id).toBe(c.level);
      expect(c.expect.length, c.id).toBeGreaterThan(0);
    }
  });

  it('reference only requirements of the catalogue', () => {
    for (const c of cases) for (const e of c.expect) expect(requirements.has(e.requirement), `${c.id}: ${e.requirement}`).toBe(true);
  });

  it('use only registered checks', () => {
    for (const c of cases) for (const e of c.expect) expect(CHECKS.has(e.check), `${c.id}: ${e.check}`).toBe(true);
  });
});

describe('an expectation\'s requirement', () => {
  const expectOf = (yaml: string) => loadCases(dirWith(yaml))[0].expect.map((e) => `${e.check} ${e.requirement}`);
  it('is the one it names, else the check\'s default, else the case\'s', () => {
    const yaml = VALID.replace('{ check: status, equals: 200 }', '{ check: status, equals: 200 }\n      - { check: error-body }\n      - { check: error-body, requirement: AOAI-IMAGES-ERROR-BODY }');
    expect(expectOf(yaml)).toEqual(['status AOAI-CHAT-200', 'error-body AOAI-ERROR-BODY', 'error-body AOAI-IMAGES-ERROR-BODY']);
  });

  it('defaults, for every check that has a default, to a requirement of the catalogue', () => {
    const requirements = loadRequirements();
    for (const def of CHECKS.values()) if (def.requirement) expect(requirements.has(def.requirement), def.name).toBe(true);
  });
});

describe('a malformed case is a load error naming file and field', () => {
  it('accepts the valid baseline', () => {
    expect(problemsOf(VALID)).toEqual([]);
  });

  it('accepts keys the contract leaves open (function parameters, logit_bias) and undefined keys sent on purpose', () => {
    const open = VALID.replace('{ body: { messages: [] } }', '{ body: { messages: [], logit_bias: { "50256": -100 }, tools: [{ type: function, function: { name: f, parameters: { type: object, properties: { x: { type: string } } } } }], extra: 1 }, undefinedKeys: [/extra] }');
    expect(problemsOf(open)).toEqual([]);
  });

  it.each([
    ['an unknown check', VALID.replace('check: status', 'check: stauts'), /broken\.yaml: \/cases\/0\/expect\/0\/check: unknown check "stauts"/],
    ['a check argument of the wrong type', VALID.replace('equals: 200', 'equals: "200"'), /broken\.yaml: \/cases\/0\/expect\/0\/equals/],
    ['an unknown check argument', VALID.replace('equals: 200', 'equals: 200, equal: 201'), /broken\.yaml: \/cases\/0\/expect\/0\/equal: unknown field/],
    ['an unknown requirement', VALID.replace('requirement: AOAI-CHAT-200', 'requirement: AOAI-NOPE'), /broken\.yaml: \/cases\/0\/requirement: unknown requirement AOAI-NOPE/],
    // A case's level is its requirement's, derived on load; a case that states one says a fact twice.
    ['a level in a case', VALID.replace('    requirement: AOAI-CHAT-200\n', '    requirement: AOAI-CHAT-200\n    level: SHOULD\n'), /broken\.yaml: \/cases\/0\/level: unknown field/],
    ['a missing title', VALID.replace('    title: fine\n', ''), /broken\.yaml: \/cases\/0\/title: must have required property/],
    ['an unknown field in a case', VALID.replace('    title: fine\n', '    title: fine\n    titel: typo\n'), /broken\.yaml: \/cases\/0\/titel: unknown field/],
    ['an unknown operation', VALID.replace('chat.completions', 'chat.complete'), /broken\.yaml: \/operation: must be equal to one of the allowed values/],
    ['a profile without the operation', VALID.replace('operation: completions', '').replace('    requirement: AOAI-CHAT-200\n', '    requirement: AOAI-CHAT-200\n    profiles: [model-inference]\n'), /broken\.yaml: \/cases\/0\/profiles: profile model-inference has no chat.completions/],
    ['invalid YAML', 'operation: [', /broken\.yaml: YAML error/],
    ['a requirement that is the check\'s default', VALID.replace('{ check: status, equals: 200 }', '{ check: status, equals: 200 }\n      - { check: error-body, requirement: AOAI-ERROR-BODY }'), /broken\.yaml: \/cases\/0\/expect\/1\/requirement: AOAI-ERROR-BODY is the default requirement of error-body; leave it out/],
    [
      'a message key the contract does not define (an unquoted comma in a flow mapping)',
      VALID.replace('request: { body: { messages: [] } }', 'request: { body: { messages: [{ role: user, content: Write a story, at least two hundred words. }] } }'),
      /broken\.yaml: \/cases\/0\/request: \/body\/messages\/0\/at least two hundred words\.: a key .*createChatCompletionRequest does not define/,
    ],
    ['a body key the contract does not define', VALID.replace('{ messages: [] }', '{ messages: [], temprature: 1 }'), /\/body\/temprature: a key .* does not define/],
    ['an undefinedKeys entry that the contract defines after all', VALID.replace('{ body: { messages: [] } }', '{ body: { messages: [], n: 1 }, undefinedKeys: [/n] }'), /\/undefinedKeys: \/n is not an undefined key of the body/],
    ['a derive of more than four stop sequences', VALID.replace('{ body: { messages: [] } }', '{ body: { messages: [] }, derive: { stop: { sequences: 5 } } }'), /\/request\/derive\/stop\/sequences: must be <= 4/],
  ])('%s', (_name, yaml, pattern) => {
    const problems = problemsOf(yaml);
    expect(problems.join('\n')).toMatch(pattern);
  });
});
