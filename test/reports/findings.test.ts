/**
 * One cause, one finding: failures that share a requirement, a check and a message (per-case details
 * aside) are one finding in results.json, and distinct causes stay apart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAjv } from '../../src/ajv.ts';
import { findingsOf, groupFindings, normaliseMessage, occurrences, skipReasons } from '../../src/results/findings.ts';
import { builtRun, type CaseInput } from './built.ts';
import { PACKAGE_ROOT } from './support.ts';

describe('normaliseMessage', () => {
  it.each([
    ['total_tokens 111 ≠ prompt_tokens 97 + completion_tokens 13', 'total_tokens N ≠ prompt_tokens N + completion_tokens N'],
    ['total_tokens 13 ≠ prompt_tokens 7 + completion_tokens 5', 'total_tokens N ≠ prompt_tokens N + completion_tokens N'],
    ['finish_reason is ["stop","length"], expected "length" for every choice', 'finish_reason is […], expected "…" for every choice'],
    ['/choices/2/message must have required property \'role\'', "/choices/N/message must have required property 'role'"],
    ['choices[3]: message.role is "user"', 'choices[N]: message.role is "…"'],
    ['id chatcmpl-9f8e7d6c5b4a answered at http://127.0.0.1:40123/v1/x?api-version=2024-06-01', 'id <id> answered at <url>'],
    ['api-version 2099-01-01 accepted', 'api-version <date> accepted'],
    ['temperature -0.5 accepted as 1e-3', 'temperature -N accepted as N'],
    ['the case chat-n-3 has 3 choices', 'the case <case> has N choices'],
  ])('%s → %s', (message, pattern) => {
    expect(normaliseMessage(message, 'chat-n-3')).toBe(pattern);
  });

  it.each([
    ['status 403, expected 401', 'status 403, expected 401'],
    ['status 500 is not 4xx', 'status 500 is not 4xx'],
    ['status 404, expected 200 or 201', 'status 404, expected 200 or 201'],
    ['AUTH-401 checks float32 values', 'AUTH-401 checks float32 values'],
  ])('keeps what names the cause: %s', (message, pattern) => {
    expect(normaliseMessage(message)).toBe(pattern);
  });
});

/** 22 error cases whose error.code is an integer, the quirk of issue 14: one finding, not 22. */
const integerCode = (i: number): CaseInput => ({
  id: `chat-invalid-${String(i).padStart(2, '0')}`,
  requirement: i % 2 ? 'CHAT-BOUNDS' : 'ERROR-BODY',
  checks: [
    { check: 'status-class', requirement: 'CHAT-BOUNDS', status: 'pass' },
    { check: 'error-body', requirement: 'ERROR-BODY', status: 'fail', message: `the error body does not validate against errorResponse: /error/code must be string (got ${400 + i})`, expected: 'valid errorResponse', actual: { code: 400 + i } },
  ],
});

describe('groupFindings', () => {
  it('groups 22 failures of one cause into one finding, and keeps a different cause apart', () => {
    const r = builtRun([
      ...Array.from({ length: 22 }, (_, i) => integerCode(i)),
      { id: 'chat-auth-wrong', checks: [{ check: 'status', requirement: 'AUTH-401', status: 'fail', message: 'status 403, expected 401' }] },
      { id: 'chat-auth-missing', checks: [{ check: 'status', requirement: 'AUTH-401', status: 'fail', message: 'status 500, expected 401' }] },
      { id: 'chat-usage', checks: [{ check: 'error-body', requirement: 'ERROR-BODY', status: 'fail', message: 'the error body is not JSON' }] },
    ]);
    const failures = r.findings!.filter((f) => f.status === 'fail');
    expect(failures.map((f) => [f.requirement, f.pattern, f.cases.length])).toEqual([
      ['ERROR-BODY', 'the error body does not validate against errorResponse: /error/code must be string (got N)', 22],
      ['AUTH-401', 'status 403, expected 401', 1],
      ['AUTH-401', 'status 500, expected 401', 1],
      ['ERROR-BODY', 'the error body is not JSON', 1],
    ]);
    const big = failures[0];
    expect(big.checks).toHaveLength(22);
    expect(big.operations).toEqual(['chat.completions']);
    expect(big.id).toMatch(/^[0-9a-f]{10}$/);
    expect(big.signature).toBe(`ERROR-BODY error-body: ${big.pattern}`);
    // The example is a case about this very requirement.
    expect(r.cases.find((c) => c.id === big.cases[0])?.requirement).toBe('ERROR-BODY');
    expect(occurrences(big, r.cases)[0].check?.id).toBe(big.checks[0]);
  });

  it('the same cause on another run has the same id', () => {
    const a = builtRun([integerCode(1), integerCode(2)]).findings!;
    const b = builtRun([integerCode(7)]).findings!;
    expect(b[0].id).toBe(a[0].id);
  });

  it('separates failures, unjudged cases, warnings and expected failures, in that order', () => {
    const r = builtRun(
      [
        { id: 'a', checks: [{ check: 'usage-sums', requirement: 'USAGE-TOTAL', status: 'fail', message: 'total_tokens 5 ≠ 6' }] },
        { id: 'b', checks: [{ check: 'usage-sums', requirement: 'USAGE-TOTAL', status: 'fail', message: 'total_tokens 7 ≠ 8' }] },
        { id: 'c', checks: [{ check: 'error-message', requirement: 'ERROR-MESSAGE', status: 'warning', message: 'error.message is absent' }] },
        { id: 'd', checks: [{ check: 'schema', requirement: 'CHAT-SCHEMA', status: 'error', message: 'the check crashed: boom' }] },
        { id: 'e', runError: 'the case never finished' },
        { id: 'f', skipReason: 'applies to openai, not azure-openai' },
      ],
      { baseline: { file: 'b.yaml', entries: [{ case: 'b', check: 'usage-sums', reason: 'known' }] } },
    );
    expect(r.findings!.map((f) => [f.status, f.requirement, f.check ?? null, f.cases])).toEqual([
      ['fail', 'USAGE-TOTAL', 'usage-sums', ['a']],
      ['error', 'CHAT-200', null, ['e']],
      ['error', 'CHAT-SCHEMA', 'schema', ['d']],
      ['warning', 'ERROR-MESSAGE', 'error-message', ['c']],
      ['expected-failure', 'USAGE-TOTAL', 'usage-sums', ['b']],
    ]);
    expect(r.findings![1].checks).toEqual([]);
    expect(skipReasons(r.cases)).toEqual([{ reason: 'applies to openai, not azure-openai', cases: ['f'] }]);
  });

  it('a run without failures has no findings; an older results.json without them gets them computed', () => {
    expect(builtRun([{ id: 'ok', checks: [{ check: 'status', requirement: 'R', status: 'pass' }] }]).findings).toEqual([]);
    const r = builtRun([integerCode(1)]);
    const { findings, ...older } = r;
    expect(findingsOf(older)).toEqual(findings);
    expect(groupFindings(r.cases)).toEqual(findings);
  });

  it('results.json with findings validates against src/results/results.schema.json', () => {
    const schema = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'src/results/results.schema.json'), 'utf8')) as Record<string, unknown>;
    const validate = createAjv({ strict: true, allErrors: true }).compile(schema);
    const r = builtRun([integerCode(1), { id: 'e', runError: 'the case never finished' }, { id: 'c', checks: [{ check: 'error-message', requirement: 'R', status: 'warning' }] }]);
    expect(r.findings!.length).toBe(3);
    validate(JSON.parse(JSON.stringify(r)));
    expect(validate.errors ?? []).toEqual([]);
  });
});
