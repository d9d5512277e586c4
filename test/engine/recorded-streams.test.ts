/**
 * Streams written by hand in the shapes real services send (docs/observed-behaviour.md), served byte for byte by
 * a loopback server: every legal one passes the streaming cases, and each broken one fails the check for its rule.
 * Independent of the emulator, so the checks are proven against shapes the emulator does not produce itself.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCase } from '../../src/engine/run-case.ts';
import type { CaseResult, ProfileName } from '../../src/model.ts';
import { targetFor } from '../../src/target.ts';
import { caseById, REQUEST_HANG_GUARD_MS, requirements, TEST_KEY } from '../helpers.ts';

const SAFE = { filtered: false, severity: 'safe' };
const FILTER = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };
const ID = 'chatcmpl-9xYz0recorded';
const CREATED = 1718000000;

const chunk = (choice: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  choices: [{ index: 0, finish_reason: null, logprobs: null, ...choice }],
  created: CREATED,
  id: ID,
  model: 'gpt-4o-2024-05-13',
  object: 'chat.completion.chunk',
  system_fingerprint: 'fp_abc123',
  ...extra,
});

const data = (payload: unknown, eol = '\n') => `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}${eol}${eol}`;

/** Azure OpenAI with the asynchronous content filter: prompt-filter first event, annotations without delta, one after the finish chunk. */
const azureAsync = [
  data({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: { ...FILTER, jailbreak: { filtered: false, detected: false } } }] }),
  data(chunk({ delta: { role: 'assistant', content: '' }, content_filter_results: {} })),
  data(chunk({ delta: { content: 'Hello! How can I help you today with' }, content_filter_results: FILTER })),
  data({ id: '', object: '', created: 0, model: '', choices: [{ index: 0, finish_reason: null, content_filter_results: FILTER, content_filter_raw: [], content_filter_offsets: { check_offset: 0, start_offset: 0, end_offset: 36 } }], usage: null }),
  data(chunk({ delta: { content: ' anything at all?' }, content_filter_results: FILTER })),
  data(chunk({ delta: {}, finish_reason: 'stop', content_filter_results: {} })),
  data({ id: '', object: '', created: 0, model: '', choices: [{ index: 0, finish_reason: null, content_filter_results: FILTER, content_filter_offsets: { check_offset: 36, start_offset: 36, end_offset: 53 } }], usage: null }),
  data('[DONE]'),
].join('');

/** An older Azure api-version: `prompt_annotations`, `usage: null` on every chunk, CRLF line endings and a comment. */
const azureOlder = [
  ': ping\r\n\r\n',
  data({ id: '', object: '', created: 0, model: '', prompt_annotations: [{ prompt_index: 0, content_filter_results: FILTER }], choices: [], usage: null }, '\r\n'),
  data(chunk({ delta: { role: 'assistant' }, content_filter_results: {} }, { usage: null }), '\r\n'),
  data(chunk({ delta: { content: 'Hello there, friend.' }, content_filter_results: FILTER }, { usage: null }), '\r\n'),
  data(chunk({ delta: {}, finish_reason: 'stop', content_filter_results: {} }, { usage: null }), '\r\n'),
  data('[DONE]', '\r\n'),
].join('');

/** Plain OpenAI: role with empty content first, system_fingerprint null, `data:` without a space, empty final delta. */
const openaiPlain = [
  `data:${JSON.stringify(chunk({ delta: { role: 'assistant', content: '', refusal: null } }, { system_fingerprint: null }))}\n\n`,
  data(chunk({ delta: { content: 'Hello' } }, { system_fingerprint: null })),
  data(chunk({ delta: { content: '!' } }, { system_fingerprint: null })),
  data(chunk({ delta: {}, finish_reason: 'stop' }, { system_fingerprint: null })),
  data('[DONE]'),
].join('');

/** Completions on Azure: prompt-filter first event, text chunks with filter results, final chunk with finish_reason. */
const completionChunk = (choice: Record<string, unknown>) => ({ id: 'cmpl-9recorded', object: 'text_completion', created: CREATED, model: 'gpt-35-turbo-instruct', choices: [{ index: 0, logprobs: null, finish_reason: null, ...choice }] });
const azureCompletions = [
  data({ id: '', object: '', created: 0, model: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: FILTER }], choices: [] }),
  data(completionChunk({ text: 'Once upon a time', content_filter_results: FILTER })),
  data(completionChunk({ text: ' there was a mango.', content_filter_results: FILTER })),
  data(completionChunk({ text: '', finish_reason: 'stop', content_filter_results: FILTER })),
  data('[DONE]'),
].join('');

/** A forced tool call as OpenAI streams it: role, then the opening fragment (id, type, name), then argument pieces. */
const toolCall = (fragments: Array<Record<string, unknown>>) =>
  [
    data(chunk({ delta: { role: 'assistant', content: null } })),
    ...fragments.map((f) => data(chunk({ delta: { tool_calls: [f] } }))),
    data(chunk({ delta: {}, finish_reason: 'stop' })),
    data('[DONE]'),
  ].join('');
const openaiToolCall = toolCall([
  { index: 0, id: 'call_abc', type: 'function', function: { name: 'get_current_weather', arguments: '' } },
  { index: 0, function: { arguments: '{"loca' } },
  { index: 0, function: { arguments: 'tion":"Paris"}' } },
]);

interface Served {
  body: string;
  contentType?: string;
}

let server: Server;
let url: string;
let current: Served = { body: '' };

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      // contentType '' sends no Content-Type header at all.
      const type = current.contentType ?? 'text/event-stream';
      res.writeHead(200, type ? { 'content-type': type } : {});
      res.end(current.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function judge(caseId: string, served: Served, profile: ProfileName = 'azure-openai'): Promise<CaseResult> {
  current = served;
  const target = targetFor({ profile, endpoint: url, deployment: 'gpt-4o', requestTimeoutMs: REQUEST_HANG_GUARD_MS });
  return runCase(caseById(caseId), { target, apiKey: TEST_KEY, requirements });
}

function statusOf(result: CaseResult, check: string): string | undefined {
  return result.checks.find((c) => c.check === check)?.status;
}

describe('legal streams as real services send them pass', () => {
  it.each([
    ['Azure, asynchronous content filter', azureAsync],
    ['Azure, older api-version with prompt_annotations, CRLF and a comment', azureOlder],
    ['plain OpenAI', openaiPlain],
  ])('%s', async (_name, body) => {
    const result = await judge('chat-stream-basic', { body });
    expect(result.checks.filter((c) => c.status !== 'pass').map((c) => `${c.check}: ${c.message}`)).toEqual([]);
  });

  it('a forced tool call in fragments (finish_reason "stop", as OpenAI reports forced calls)', async () => {
    const result = await judge('chat-stream-tool-call', { body: openaiToolCall });
    expect(result.checks.filter((c) => c.status !== 'pass').map((c) => `${c.check}: ${c.message}`)).toEqual([]);
  });

  it('Azure completions with the prompt-filter first event', async () => {
    const result = await judge('completions-stream-basic', { body: azureCompletions });
    expect(result.checks.filter((c) => c.status !== 'pass').map((c) => `${c.check}: ${c.message}`)).toEqual([]);
  });

  it('Model Inference completions with finish_reason null on every unfinished chunk', async () => {
    const body = azureCompletions.split('\n\n').slice(1).join('\n\n').replaceAll(',"content_filter_results":' + JSON.stringify(FILTER), '');
    const result = await judge('completions-stream-mi-basic', { body }, 'model-inference');
    expect(result.checks.filter((c) => c.status !== 'pass').map((c) => `${c.check}: ${c.message}`)).toEqual([]);
  });
});

describe('broken streams fail the check for the rule they break', () => {
  const broken: Array<[string, string, Served, string]> = [
    ['a JSON document for stream: true', 'stream-sse', { body: JSON.stringify({ id: ID, object: 'chat.completion', choices: [] }), contentType: 'application/json' }, 'fail'],
    ['no [DONE]', 'stream-completes', { body: azureAsync.replace(data('[DONE]'), '') }, 'fail'],
    ['a bare [DONE] line', 'stream-done', { body: openaiPlain.replace(data('[DONE]'), '[DONE]\n\n') }, 'fail'],
    ['a bare [DONE] line', 'stream-framing', { body: openaiPlain.replace(data('[DONE]'), '[DONE]\n\n') }, 'fail'],
    ['a bare [DONE] as the unterminated last line', 'stream-done', { body: openaiPlain.replace(data('[DONE]'), '[DONE]') }, 'fail'],
    ['a bare [DONE] as the unterminated last line', 'stream-framing', { body: openaiPlain.replace(data('[DONE]'), '[DONE]') }, 'fail'],
    ['"[DONE]" as a JSON string', 'stream-done', { body: openaiPlain.replace(data('[DONE]'), data('"[DONE]"')) }, 'fail'],
    ['"[DONE] " with a trailing space', 'stream-done', { body: azureAsync.replace(data('[DONE]'), 'data: [DONE] \n\n') }, 'fail'],
    ['a chunk after [DONE]', 'stream-done', { body: openaiPlain + data(chunk({ delta: {} })) }, 'fail'],
    ['a named event', 'stream-framing', { body: `event: delta\n${openaiPlain}` }, 'fail'],
    ['a final event without its blank line', 'stream-framing', { body: openaiPlain.slice(0, -1) }, 'fail'],
    ['a payload that is not JSON', 'stream-payload-json', { body: openaiPlain.replace(data(chunk({ delta: { content: '!' } }, { system_fingerprint: null })), data('{"id": "chatcmpl-9', '\n')) }, 'fail'],
    ['object chat.completion on chunks', 'stream-chunk-object', { body: openaiPlain.replaceAll('"chat.completion.chunk"', '"chat.completion"') }, 'warning'],
    ['a role-less first delta', 'stream-first-delta-role', { body: openaiPlain.replace('"role":"assistant",', '') }, 'warning'],
    // finish_reason is optional in seed 003 and the seed defines no chunk: a stream that never reports one is a SHOULD breach.
    ['no finish_reason', 'stream-finish-once', { body: openaiPlain.replace('"finish_reason":"stop"', '"finish_reason":null') }, 'warning'],
    ['a mid-stream error instead of a finish', 'stream-finish-once', { body: openaiPlain.replace(data(chunk({ delta: {}, finish_reason: 'stop' }, { system_fingerprint: null })), data({ error: { message: 'The server had an error', type: 'server_error', param: null, code: null } })) }, 'warning'],
    ['usage counts nobody asked for', 'stream-usage-gated', { body: openaiPlain.replace(data('[DONE]'), data({ ...chunk({}), choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }) + data('[DONE]')) }, 'warning'],
  ];
  it.each(broken)('%s → %s %s', async (_name, check, served, status) => {
    const result = await judge('chat-stream-basic', served);
    expect(statusOf(result, check), result.checks.map((c) => `${c.check}: ${c.status} ${c.message}`).join('\n')).toBe(status);
  });

  const brokenCalls: Array<[string, string, string, string]> = [
    ['the function name only on a later fragment', 'stream-tool-calls', toolCall([{ index: 0, id: 'call_abc', type: 'function', function: { arguments: '' } }, { index: 0, function: { name: 'get_current_weather', arguments: '{"location":"Paris"}' } }]), 'fail'],
    ['a call of another function', 'stream-tool-calls', openaiToolCall.replace('get_current_weather', 'get_time'), 'fail'],
    ['no type anywhere', 'stream-tool-calls', openaiToolCall.replace('"type":"function",', ''), 'fail'],
    ['arguments that do not parse', 'stream-call-arguments-json', openaiToolCall.replace('tion\\":\\"Paris\\"}', 'tion\\":\\"Par'), 'warning'],
  ];
  it.each(brokenCalls)('tool call with %s → %s %s', async (_name, check, body, status) => {
    const result = await judge('chat-stream-tool-call', { body });
    expect(statusOf(result, check), result.checks.map((c) => `${c.check}: ${c.status} ${c.message}`).join('\n')).toBe(status);
  });

  it('a mid-stream error payload is judged as an error body, not as a malformed chunk', async () => {
    const body = openaiPlain.replace(data(chunk({ delta: {}, finish_reason: 'stop' }, { system_fingerprint: null })), data({ error: { message: 'The server had an error', type: 'server_error', param: null, code: null } }));
    const result = await judge('chat-stream-basic', { body });
    expect(statusOf(result, 'stream-chunk-schema')).toBe('pass');
  });
});

describe('one defect is reported once, under the requirement it evidences', () => {
  const reported = (result: CaseResult) => result.checks.filter((c) => c.status === 'fail' || c.status === 'warning').map((c) => c.check);

  it('no [DONE] at all fails AOAI-STREAM-ENDS; stream-done does not report it again', async () => {
    const result = await judge('chat-stream-basic', { body: openaiPlain.replace(data('[DONE]'), '') });
    expect(reported(result)).toEqual(['stream-completes']);
    expect(result.checks.find((c) => c.check === 'stream-done')?.message).toMatch(/^not reported twice: .* stream-completes under AOAI-STREAM-ENDS/);
  });

  it('a bare [DONE] line is a framing defect and no terminator (AOAI-STREAM-DATA-ONLY, AOAI-STREAM-DONE)', async () => {
    const result = await judge('chat-stream-basic', { body: openaiPlain.replace(data('[DONE]'), '[DONE]\n\n') });
    expect(reported(result)).toEqual(['stream-framing', 'stream-done']);
  });

  it('"[DONE] " with a trailing space is a malformed sentinel, not also a payload that is not JSON', async () => {
    const result = await judge('chat-stream-basic', { body: openaiPlain.replace(data('[DONE]'), 'data: [DONE] \n\n') });
    expect(reported(result)).toEqual(['stream-done']);
  });

  it('data: null is "null, not an object"', async () => {
    const result = await judge('chat-stream-basic', { body: openaiPlain.replace(data('[DONE]'), data('null') + data('[DONE]')) });
    expect(result.checks.find((c) => c.check === 'stream-chunk-schema')?.message).toContain('event 4: null, not an object');
  });

  it('an OpenAI-style chunk that breaks the chunk schema is told the chunk branch, not the Azure annotation branch', async () => {
    const body = openaiPlain.replaceAll('"created":1718000000', '"created":"2024-06-10T00:00:00Z"');
    const schema = (await judge('chat-stream-basic', { body })).checks.find((c) => c.check === 'stream-chunk-schema')!;
    expect(schema.status).toBe('fail');
    expect(schema.message).toContain('/created must be integer');
    expect(schema.message).not.toContain('content_filter_results');
  });

  it('a chunk without model is told so at SHOULD (the seed defines no chunk members), and the schema does not report it again', async () => {
    const result = await judge('chat-stream-basic', { body: openaiPlain.replaceAll('"model":', '"model_name":') });
    expect(statusOf(result, 'stream-chunk-schema')).toBe('pass');
    const members = result.checks.find((c) => c.check === 'stream-chunk-members')!;
    expect(members.status).toBe('warning');
    expect(members.message).toContain('lacks model');
  });
});

describe('an event stream without the event-stream Content-Type is still judged whole', () => {
  /** The first server of issue 12: model_name, finish_reason and index inside delta, a bare [DONE], a new id per chunk. */
  const simulator = [
    { delta: { role: 'assistant', content: '', index: 0, finish_reason: null } },
    { delta: { content: 'Hello', index: 0, finish_reason: null } },
    { delta: { content: '!', index: 0, finish_reason: null } },
    { delta: { index: 0, finish_reason: 'stop' } },
  ]
    .map((choice, i) => data({ id: `chatcmpl-${i}`, object: 'chat.completion.chunk', created: CREATED, model_name: 'sim', choices: [choice] }))
    .join('') + '[DONE]\n\n';
  /** The second: a new id per chunk, no role in any delta, no finish chunk. */
  const bare = [{ delta: { content: 'Hello' } }, { delta: { content: '!' } }]
    .map((choice, i) => data({ id: `cmpl-${i}`, object: 'chat.completion.chunk', created: CREATED, model: 'm', choices: [{ index: 0, finish_reason: null, ...choice }] }))
    .join('') + data('[DONE]');

  it.each([
    ['text/plain', 'text/plain; charset=utf-8'],
    ['no Content-Type at all', ''],
  ])('labelled %s: every defect is reported under its own requirement', async (_label, contentType) => {
    const result = await judge('chat-stream-basic', { body: simulator, contentType });
    const byCheck = Object.fromEntries(result.checks.map((c) => [c.check, c]));
    expect(byCheck['stream-sse'].status).toBe('fail');
    expect(byCheck['stream-chunk-members'].message).toMatch(/lacks model, choices\[0\]\.index/);
    expect(byCheck['stream-finish-once'].message).toContain('finish_reason inside delta');
    expect(byCheck['stream-framing'].message).toContain('a bare "[DONE]" line');
    expect(byCheck['stream-done'].status).toBe('fail');
    expect(byCheck['stream-chunk-identity'].status).toBe('warning');
    expect(result.checks.filter((c) => c.status === 'fail' || c.status === 'warning').map((c) => c.requirement)).toEqual([
      'AOAI-STREAM-SSE',
      'AOAI-STREAM-DATA-ONLY',
      'AOAI-STREAM-DONE',
      'AOAI-STREAM-CHUNK-MEMBERS',
      'AOAI-STREAM-CHUNK-IDENTITY',
      'AOAI-STREAM-FINISH-ONCE',
    ]);
  });

  it('and so is the second server: no Content-Type, a new id per chunk, no role, no finish chunk', async () => {
    const result = await judge('chat-stream-basic', { body: bare, contentType: '' });
    expect(result.checks.filter((c) => c.status === 'fail' || c.status === 'warning').map((c) => c.check)).toEqual(['stream-sse', 'stream-chunk-identity', 'stream-first-delta-role', 'stream-finish-once']);
  });

  it('a JSON document answering a stream request stops the stream checks: there is no stream to judge', async () => {
    const result = await judge('chat-stream-basic', { body: JSON.stringify({ id: ID, object: 'chat.completion', choices: [] }), contentType: 'application/json' });
    expect(result.checks.filter((c) => c.check.startsWith('stream-') && c.check !== 'stream-sse').every((c) => c.status === 'skipped')).toBe(true);
  });
});

