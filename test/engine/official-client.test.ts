/**
 * The official client as a second judge (--sdk-judge): it passes every case on the emulator in every profile, and
 * catches what the official openai client cannot consume — a stream chunk it cannot parse, a body that is not
 * JSON where it expects JSON, a JSON body labelled as text — with the client's own error, without any network.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OFFICIAL_CLIENT_CHECK } from '../../src/judges/index.ts';
import { officialClientCheck } from '../../src/judges/official-client.ts';
import type { CaseResult, Exchange, ProfileName } from '../../src/model.ts';
import { caseById, readResultsFile, runCli, tempDir, withEmulator } from '../helpers.ts';
import { runInProcess } from '../support/in-process.ts';

const judged = (results: CaseResult[]) => results.flatMap((r) => r.checks.filter((k) => k.check === OFFICIAL_CLIENT_CHECK).map((k) => ({ caseId: r.id, ...k })));

describe('on the emulator', { timeout: 300_000 }, () => {
  it.each<ProfileName>(['azure-openai', 'openai', 'model-inference'])('every 200 response of every %s case is consumed by the official client', async (profile) => {
    const results = await withEmulator([], (url) => runInProcess(url, { profile, sdkJudge: true, concurrency: 6 }));
    const verdicts = judged(results);
    const answered200 = results.filter((r) => r.exchange?.response?.status === 200);
    expect(answered200.length).toBeGreaterThan(profile === 'model-inference' ? 10 : 100);
    expect(verdicts.length).toBe(answered200.length);
    expect(verdicts.filter((v) => v.status !== 'pass')).toEqual([]);
    expect(results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => r.id)).toEqual([]);
  });
});

describe('against faults', { timeout: 120_000 }, () => {
  it('a stream chunk the client cannot parse is a warning with its SyntaxError', async () => {
    const [result] = await withEmulator(['stream-payload-not-json'], (url) => runInProcess(url, { cases: [caseById('chat-stream-basic')], sdkJudge: true }));
    const [verdict] = judged([result]);
    expect(verdict).toMatchObject({ status: 'warning', level: 'SHOULD', requirement: 'SDK-OFFICIAL-CLIENT-PARSES' });
    expect(verdict.message).toMatch(/cannot consume this response: SyntaxError/);
  });

  it('a JSON body labelled text/plain reaches the caller as text', async () => {
    const [result] = await withEmulator(['json-content-type-text'], (url) => runInProcess(url, { cases: [caseById('chat-minimal')], sdkJudge: true }));
    expect(judged([result])[0]).toMatchObject({ status: 'warning', message: expect.stringMatching(/handed the caller the body as text.*got text\/plain/) });
  });
});

/** A recorded exchange of a case, with the response replaced. */
function recorded(id: string, response: { headers: Record<string, string>; bodyText: string }): Exchange {
  return {
    request: { method: 'POST', url: 'https://target.example/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-06-01', headers: {}, body: caseById(id).request.body },
    response: { status: 200, bodyBytes: response.bodyText.length, truncated: false, invalidUtf8: false, ...response },
    timings: { startedAt: 0, totalMs: 1 },
  };
}

const target = { profile: 'azure-openai' as const, deployments: { chat: 'gpt-4o-mini' } };

describe('recorded responses', () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each([
    ['a body that is not JSON where the client expects JSON', 'chat-minimal', { 'content-type': 'application/json' }, '<html>Service Unavailable</html>', /cannot consume this response: SyntaxError/],
    ['a stream event that carries an error', 'chat-stream-basic', { 'content-type': 'text/event-stream' }, 'data: {"error":{"code":"500","message":"model crashed"}}\n\n', /cannot consume this response: \w*Error: model crashed/],
    ['a stream with no chunk at all', 'chat-stream-basic', { 'content-type': 'text/event-stream' }, 'data: [DONE]\n\n', /read no chunk from the stream/],
    ['a stream chunk that is not an object', 'chat-stream-basic', { 'content-type': 'text/event-stream' }, 'data: "hello"\n\ndata: [DONE]\n\n', /stream chunk 1 is "hello"/],
  ])('%s is a finding, judged without any network', async (_what, id, headers, bodyText, message) => {
    const network = vi.fn(() => {
      throw new Error('the judge must not reach the network');
    });
    vi.stubGlobal('fetch', network);
    const verdict = await officialClientCheck(caseById(id), target, recorded(id, { headers, bodyText }), caseById(id).request.body, 'SHOULD');
    expect(verdict).toMatchObject({ status: 'warning', check: OFFICIAL_CLIENT_CHECK, message: expect.stringMatching(message) });
    expect(network).not.toHaveBeenCalled();
  });

  it('judges only 200 responses', async () => {
    const exchange = recorded('chat-minimal', { headers: { 'content-type': 'application/json' }, bodyText: '{}' });
    exchange.response!.status = 400;
    expect(await officialClientCheck(caseById('chat-minimal'), target, exchange, {}, 'SHOULD')).toBeUndefined();
  });
});

describe('--sdk-judge', { timeout: 300_000 }, () => {
  it('adds the official client\'s verdict to the run\'s results and report', async () => {
    const dir = tempDir('aoai-sdk-judge-');
    const out = await runCli(['run', '--sdk-judge', '--fault', 'json-content-type-text', '--only', 'embeddings-array-3', '--only', 'chat-stream-basic', '--report-dir', dir, '--no-allure']);
    const results = readResultsFile(dir);
    expect(results.target.sdkJudge).toBe(true);
    expect(out.stderr).toMatch(/judges\s+the suite's checks, and the official openai client/);
    const byId = new Map(results.cases.map((c) => [c.id, c.checks.find((k) => k.check === OFFICIAL_CLIENT_CHECK)]));
    expect(byId.get('embeddings-array-3')).toMatchObject({ status: 'warning' });
    expect(byId.get('chat-stream-basic')).toMatchObject({ status: 'pass' });
    expect(results.findings?.some((f) => f.requirement === 'SDK-OFFICIAL-CLIENT-PARSES')).toBe(true);
  });
});
