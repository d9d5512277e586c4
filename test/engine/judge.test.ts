/**
 * The judge's gates stop only what cannot be evaluated on what arrived, and a defect several checks see is
 * reported once, under the requirement that reports it first (src/engine/judge.ts). Exchanges are made by hand.
 */
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/engine/judge.ts';
import type { CheckResult, Exchange, RecordedResponse } from '../../src/model.ts';
import { targetFor } from '../../src/target.ts';
import { caseById, requirements, TEST_KEY } from '../helpers.ts';

const ctx = { target: targetFor({ profile: 'azure-openai', endpoint: 'http://127.0.0.1:9', deployment: 'gpt-4o-mini' }), apiKey: TEST_KEY, requirements };

function answer(status: number, body: string, extra: Partial<RecordedResponse> = {}): Exchange {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const response: RecordedResponse = { status, headers: { 'content-type': 'application/json' }, bodyText: body, bodyBytes: body.length, truncated: false, json, ...(json === undefined ? { jsonError: body.trim() ? 'not JSON' : 'the body is empty' } : {}), ...extra };
  return { request: { method: 'POST', url: 'http://127.0.0.1:9/', headers: {} }, response, timings: { startedAt: 0, headersMs: 5, totalMs: 9 } };
}

const statusOf = (checks: CheckResult[]) => Object.fromEntries(checks.map((c) => [c.check, c.status]));
const ERROR = JSON.stringify({ error: { code: '400', message: 'Invalid temperature' } });

describe('a wrong status stops only the checks that judge another kind of answer', () => {
  const spec = caseById('chat-temperature-above-max');

  it('a 500 where a 400 was wanted still has its error body judged', async () => {
    const checks = await judge(spec, ctx, answer(500, ERROR), spec.request.body);
    expect(statusOf(checks)).toMatchObject({ transport: 'pass', 'status-class': 'fail', 'error-body': 'pass', 'error-message': 'pass', 'content-type': 'pass' });
  });

  it('an empty error body is a finding of its own, reported once', async () => {
    const checks = await judge(spec, ctx, answer(500, ''), spec.request.body);
    const body = checks.find((c) => c.check === 'error-body')!;
    expect(body.status).toBe('fail');
    expect(body.message).toBe('the HTTP 500 response has an empty body: no JSON document at all');
    expect(checks.find((c) => c.check === 'error-message')!.message).toMatch(/^not reported twice: the same defect is reported by error-body under ERROR-BODY/);
  });

  it('the wrong class is one defect: status-class reports it, status does not again', async () => {
    const checks = await judge(spec, ctx, answer(500, ERROR), spec.request.body);
    expect(checks.find((c) => c.check === 'status')!.message).toMatch(/^not reported twice: .* status-class/);
  });

  it('a 200 where an error was wanted stops the error checks: there is no error body', async () => {
    const ok = JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [] });
    const checks = await judge(spec, ctx, answer(200, ok), spec.request.body);
    expect(statusOf(checks)).toMatchObject({ 'status-class': 'fail', 'error-body': 'skipped', 'error-message': 'skipped', 'content-type': 'skipped' });
  });

  it('a 400 where a 200 was wanted stops the checks of the success document', async () => {
    const minimal = caseById('chat-minimal');
    const checks = await judge(minimal, ctx, answer(400, ERROR), minimal.request.body);
    expect(checks.filter((c) => c.check !== 'transport' && c.check !== 'status').every((c) => c.status === 'skipped')).toBe(true);
  });
});

describe('a body that broke off', () => {
  const minimal = caseById('chat-minimal');
  it('fails transport with what arrived and when, judges the headers and does not judge the partial body', async () => {
    const cut = answer(200, '{"id": "chatcmpl-1", "cho', { incomplete: 'connection reset by the target in the middle of the body' });
    const checks = await judge(minimal, ctx, { ...cut, transportError: 'connection reset by the target in the middle of the body' }, minimal.request.body);
    const transport = checks.find((c) => c.check === 'transport')!;
    expect(transport.status).toBe('fail');
    expect(transport.message).toBe('HTTP 200 arrived after 5 ms, then the body broke off after 25 byte(s) and 9 ms: connection reset by the target in the middle of the body');
    expect(statusOf(checks)).toMatchObject({ status: 'pass', 'content-type': 'pass', schema: 'skipped' });
  });
});

describe('a derived case whose first request gives nothing to derive from', () => {
  it('is not judged: the derive pseudo-check is an error and every check is not evaluated', async () => {
    const spec = caseById('chat-stop-string');
    const checks = await judge(spec, ctx, { ...answer(500, ERROR), underivable: 'the first request (without stop) was answered HTTP 500' }, spec.request.body);
    expect(checks.map((c) => c.status)).toEqual(['pass', 'error', ...spec.expect.map(() => 'skipped')]);
    expect(checks[1].message).toContain('answered HTTP 500');
  });
});
