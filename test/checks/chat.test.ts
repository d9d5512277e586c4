/**
 * The chat checks on hand-made responses: what real services legally send passes (nulls for optional
 * fields, extra properties, finish_reason "stop" on a forced call, bytes null, JSON cut short by
 * max_tokens…), and each broken rule fails.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.ts';
import type { CheckOutcome } from '../../src/checks/types.ts';
import type { RecordedResponse } from '../../src/model.ts';
import { SchemaRegistry } from '../../src/schemas/registry.ts';

function respond(body: object): RecordedResponse {
  const text = JSON.stringify(body);
  return { status: 200, headers: { 'content-type': 'application/json' }, bodyText: text, bodyBytes: text.length, truncated: false, json: body };
}

async function run(check: string, body: object, requestBody: object = {}, args: Record<string, unknown> = {}): Promise<CheckOutcome> {
  const def = CHECKS.get(check);
  if (!def) throw new Error(`no check ${check}`);
  return def.run({ response: respond(body), requestBody, profile: 'azure-openai', surface: 'azure-openai/2024-06-01', schemas: SchemaRegistry.shared(), args });
}

/** A chat completion whose choices carry the given messages (and finish reasons). */
function completion(...choices: Array<{ message: Record<string, unknown>; finish_reason?: string | null; logprobs?: unknown }>) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'm',
    system_fingerprint: null,
    choices: choices.map((c, index) => ({ index, finish_reason: 'stop', logprobs: null, ...c })),
    usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
  };
}

const text = (content: string | null, extra: Record<string, unknown> = {}) => ({ message: { role: 'assistant', content, ...extra } });

describe('chat-assistant-role', () => {
  it('passes assistant messages with legal nulls and extra fields', async () => {
    expect((await run('chat-assistant-role', completion(text('Hi', { tool_calls: null, function_call: null, refusal: null })))).ok).toBe(true);
  });
  it('fails a message without role, and a response without choices', async () => {
    expect((await run('chat-assistant-role', completion({ message: { content: 'Hi' } }))).ok).toBe(false);
    expect((await run('chat-assistant-role', { ...completion(), choices: [] })).ok).toBe(false);
  });
});

describe('chat-finish-reason', () => {
  it('accepts any of the allowed values and fails others', async () => {
    const body = completion({ ...text(null), finish_reason: 'stop' }, { ...text(null), finish_reason: 'tool_calls' });
    expect((await run('chat-finish-reason', body, {}, { equals: ['tool_calls', 'stop'] })).ok).toBe(true);
    expect((await run('chat-finish-reason', body, {}, { equals: 'length' })).ok).toBe(false);
  });
});

describe('chat-max-tokens-respected', () => {
  it('allows max_tokens per choice, fails beyond, and cannot judge a request without max_tokens', async () => {
    const two = completion(text('a'), text('b'));
    expect((await run('chat-max-tokens-respected', { ...two, usage: { prompt_tokens: 1, completion_tokens: 10, total_tokens: 11 } }, { max_tokens: 5 })).ok).toBe(true);
    expect((await run('chat-max-tokens-respected', { ...two, usage: { prompt_tokens: 1, completion_tokens: 11, total_tokens: 12 } }, { max_tokens: 5 })).ok).toBe(false);
    expect((await run('chat-max-tokens-respected', two, {})).ok).toBe('error');
    // usage is optional: its absence is the schema's business, not this check's.
    const { usage: _usage, ...noUsage } = two;
    expect((await run('chat-max-tokens-respected', noUsage, { max_tokens: 5 })).ok).toBe(true);
  });
});

describe('optional members the seed allows a server to leave out', () => {
  it('usage-sums passes a completion without usage (seed 003: "usada | CompletionUsage | … | No") and still fails a wrong sum', async () => {
    const { usage: _usage, ...noUsage } = completion(text('Hi'));
    expect((await run('usage-sums', noUsage)).ok).toBe(true);
    expect((await run('usage-sums', { ...noUsage, usage: null })).ok).toBe(true);
    expect((await run('usage-sums', { ...noUsage, usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 3 } })).ok).toBe(false);
  });
  it('choice-indexes counts a choice without its index (seed 003: "índice | integer | No") as its position, and still fails a gap', async () => {
    const body = completion(text('a'), text('b'));
    const unnumbered = { ...body, choices: body.choices.map(({ index: _index, ...c }) => c) };
    expect((await run('choice-indexes', unnumbered)).ok).toBe(true);
    expect((await run('choice-indexes', { ...body, choices: [body.choices[0], { ...body.choices[1], index: 2 }] })).ok).toBe(false);
  });
});

describe('stop sequences', () => {
  const request = { stop: ['.', 'END'] };
  it('a reply without the sequences passes both checks', async () => {
    const body = completion(text('The sea is blue'));
    expect((await run('chat-stop-sequence-honoured', body, request)).ok).toBe(true);
    expect((await run('chat-stop-sequence-absent', body, request)).ok).toBe(true);
  });
  it('a reply ending with a sequence is honoured but not free of it', async () => {
    const body = completion(text('The sea is blue.'));
    expect((await run('chat-stop-sequence-honoured', body, request)).ok).toBe(true);
    expect((await run('chat-stop-sequence-absent', body, request)).ok).toBe(false);
  });
  it('a reply that goes on after a sequence fails both', async () => {
    const body = completion(text('The sea is blue. The sky too'));
    expect((await run('chat-stop-sequence-honoured', body, request)).ok).toBe(false);
    expect((await run('chat-stop-sequence-absent', body, { stop: 'blue' })).ok).toBe(false);
  });
  it('a call (no content) is not judged, but a reply with neither text nor a call cannot pass; a request without stop cannot be judged', async () => {
    const call = text(null, { tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] });
    expect((await run('chat-stop-sequence-honoured', completion(call), request)).ok).toBe(true);
    expect((await run('chat-stop-sequence-honoured', completion(text(null)), request)).ok).toBe(false);
    expect((await run('chat-stop-sequence-absent', completion(text(null)), request)).ok).toBe(false);
    expect((await run('chat-stop-sequence-absent', completion(text('x')), {})).ok).toBe('error');
  });
});

describe('chat-json-object-content', () => {
  it('passes JSON objects and skips choices cut by length or the content filter', async () => {
    const body = completion(text('{"a":1}'), { ...text('{"a":'), finish_reason: 'length' }, { ...text(null), finish_reason: 'content_filter' });
    expect((await run('chat-json-object-content', body)).ok).toBe(true);
  });
  it('fails text, a JSON array and a JSON string', async () => {
    for (const content of ['Here you go: {"a":1}', '[1,2]', '"a"']) expect((await run('chat-json-object-content', completion(text(content)))).ok).toBe(false);
  });
  it('fails plain text that claims to be cut by length: a cut answer must still begin a JSON object', async () => {
    const outcome = await run('chat-json-object-content', completion({ ...text('Lorem ipsum dolor sit amet'), finish_reason: 'length' }));
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toMatch(/cut by length is not the beginning of a JSON object/);
  });
});

describe('call arguments of a choice cut short', () => {
  const cut = (args: string) => completion({ message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: args } }] }, finish_reason: 'length' });
  it('must begin a JSON object, and are not validated against the parameters schema', async () => {
    expect((await run('chat-call-arguments-json', cut('{"location": "Par'))).ok).toBe(true);
    expect((await run('chat-call-arguments-json', cut('location=Paris'))).ok).toBe(false);
    expect((await run('chat-call-arguments-schema', cut('{"location": "Par'), { tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', required: ['unit'] } } }] })).ok).toBe(true);
  });
});

describe('tool and function calls', () => {
  const tools = {
    tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } } }],
    tool_choice: { type: 'function', function: { name: 'get_weather' } },
  };
  const call = (name: string, args: string, extra: Record<string, unknown> = {}) => ({ id: 'call_1', type: 'function', function: { name, arguments: args }, ...extra });

  it('a forced call with finish_reason stop (as services send it) passes', async () => {
    const body = completion({ message: { role: 'assistant', content: null, tool_calls: [call('get_weather', '{"location":"Paris"}')] }, finish_reason: 'stop' });
    expect((await run('chat-forced-tool-call', body, tools)).ok).toBe(true);
    expect((await run('chat-call-arguments-json', body, tools)).ok).toBe(true);
    expect((await run('chat-call-arguments-schema', body, tools)).ok).toBe(true);
  });
  it('a text answer, another function or a call without id fails the forced check', async () => {
    expect((await run('chat-forced-tool-call', completion(text('Sunny')), tools)).ok).toBe(false);
    expect((await run('chat-forced-tool-call', completion({ message: { role: 'assistant', content: null, tool_calls: [call('get_time', '{}')] } }), tools)).ok).toBe(false);
    expect((await run('chat-forced-tool-call', completion({ message: { role: 'assistant', content: null, tool_calls: [call('get_weather', '{}', { id: '' })] } }), tools)).ok).toBe(false);
  });
  it('arguments that are not a JSON object, or miss a required parameter, fail their checks', async () => {
    const notJson = completion({ message: { role: 'assistant', content: null, tool_calls: [call('get_weather', 'location=Paris')] } });
    expect((await run('chat-call-arguments-json', notJson, tools)).ok).toBe(false);
    const offSchema = completion({ message: { role: 'assistant', content: null, function_call: { name: 'get_weather', arguments: '{}' } } });
    expect((await run('chat-call-arguments-json', offSchema, tools)).ok).toBe(true);
    expect((await run('chat-call-arguments-schema', offSchema, tools)).ok).toBe(false);
  });
  it('a function without parameters takes any object; a call to an undefined function fails the schema check', async () => {
    const noParams = { tools: [{ type: 'function', function: { name: 'get_time' } }] };
    expect((await run('chat-call-arguments-schema', completion({ message: { role: 'assistant', content: null, tool_calls: [call('get_time', '{"x":1}')] } }), noParams)).ok).toBe(true);
    expect((await run('chat-call-arguments-schema', completion({ message: { role: 'assistant', content: null, tool_calls: [call('other', '{}')] } }), noParams)).ok).toBe(false);
  });
  it('chat-no-tool-calls passes text with null or empty call fields and fails any call', async () => {
    expect((await run('chat-no-tool-calls', completion(text('Sunny', { tool_calls: [], function_call: null })))).ok).toBe(true);
    expect((await run('chat-no-tool-calls', completion({ message: { role: 'assistant', content: null, tool_calls: [call('get_weather', '{}')] } }))).ok).toBe(false);
    expect((await run('chat-no-tool-calls', completion({ message: { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } } }))).ok).toBe(false);
  });
  it('chat-function-call-shape wants function_call of the named function with string arguments', async () => {
    const request = { functions: [{ name: 'f' }], function_call: { name: 'f' } };
    expect((await run('chat-function-call-shape', completion({ message: { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } } }), request)).ok).toBe(true);
    expect((await run('chat-function-call-shape', completion({ message: { role: 'assistant', content: null, function_call: { name: 'f', arguments: {} } } }), request)).ok).toBe(false);
    expect((await run('chat-function-call-shape', completion(text('no call')), request)).ok).toBe(false);
  });
});

describe('logprobs', () => {
  const entry = (token: string, logprob: number, top: number, bytes: number[] | null = [...Buffer.from(token)]) => ({
    token,
    logprob,
    bytes,
    top_logprobs: Array.from({ length: top }, (_, i) => ({ token: `${token}${i}`, logprob: logprob - i, bytes: null })),
  });
  const withLogprobs = (content: string, entries: unknown[]) => completion({ ...text(content), logprobs: { content: entries } });

  it('well-formed entries that spell the content pass; bytes null falls back to the tokens', async () => {
    const body = withLogprobs('Hi there', [entry('Hi', -0.1, 2), entry(' there', -0.2, 2, null)]);
    expect((await run('chat-logprobs-structure', body)).ok).toBe(true);
    expect((await run('chat-logprobs-cover-content', body)).ok).toBe(true);
    expect((await run('chat-top-logprobs-count', body, { top_logprobs: 2 })).ok).toBe(true);
    expect((await run('chat-top-logprobs-at-most', body, { top_logprobs: 2 })).ok).toBe(true);
  });
  it('multi-byte characters split across tokens are put together from their bytes', async () => {
    const euro = [...Buffer.from('€')];
    const body = withLogprobs('5€', [entry('5', -0.1, 0), { token: '\\xe2\\x82', logprob: -0.1, bytes: euro.slice(0, 2), top_logprobs: [] }, { token: '\\xac', logprob: -0.1, bytes: euro.slice(2), top_logprobs: [] }]);
    expect((await run('chat-logprobs-cover-content', body)).ok).toBe(true);
  });
  it('a positive logprob, missing logprobs or a missing token entry fail', async () => {
    expect((await run('chat-logprobs-structure', withLogprobs('Hi', [entry('Hi', 0.5, 0)]))).ok).toBe(false);
    expect((await run('chat-logprobs-structure', completion(text('Hi')))).ok).toBe(false);
    expect((await run('chat-logprobs-cover-content', withLogprobs('Hi there', [entry('Hi', -0.1, 0)]))).ok).toBe(false);
  });
  it('a choice that calls a function instead of answering is not judged', async () => {
    const call = { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } };
    expect((await run('chat-logprobs-structure', completion({ message: { role: 'assistant', content: null, tool_calls: [call] }, logprobs: { content: null } }))).ok).toBe(true);
  });
  it('more alternatives than asked fail the MUST check; fewer fail only the exact count', async () => {
    const more = withLogprobs('Hi', [entry('Hi', -0.1, 3)]);
    expect((await run('chat-top-logprobs-at-most', more, { top_logprobs: 2 })).ok).toBe(false);
    const fewer = withLogprobs('Hi', [entry('Hi', -0.1, 1)]);
    expect((await run('chat-top-logprobs-at-most', fewer, { top_logprobs: 2 })).ok).toBe(true);
    expect((await run('chat-top-logprobs-count', fewer, { top_logprobs: 2 })).ok).toBe(false);
  });
  it('no logprobs at all cannot pass the counting checks; they share the finding with chat-logprobs-structure', async () => {
    const none = completion(text('Hi'));
    const outcomes = await Promise.all(['chat-logprobs-structure', 'chat-logprobs-cover-content', 'chat-top-logprobs-at-most', 'chat-top-logprobs-count'].map((c) => run(c, none, { top_logprobs: 2 })));
    expect(outcomes.map((o) => o.ok)).toEqual([false, false, false, false]);
    expect(new Set(outcomes.map((o) => JSON.stringify(o.findings))).size).toBe(1);
  });
});

describe('chat-data-sources-context', () => {
  it('passes citations and an intent, with extra fields, and fails without them', async () => {
    const grounded = text('Answer [doc1].', { context: { citations: [{ content: 'c', title: null, rerank_score: 1 }], intent: '["dogs"]', all_retrieved_documents: [] } });
    expect((await run('chat-data-sources-context', completion(grounded))).ok).toBe(true);
    expect((await run('chat-data-sources-context', completion(text('Answer')))).ok).toBe(false);
    expect((await run('chat-data-sources-context', completion(text('Answer', { context: { citations: [] } })))).ok).toBe(false);
  });
});
