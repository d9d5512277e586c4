/**
 * The completions and Model Inference checks on hand-made responses: what real services legally send passes
 * (logprobs null when not asked, a null first entry with echo, logprobs + 1 alternatives, usage absent or null,
 * a stop sequence inside the echoed prompt, a 400 where a 422 could be, detail with `input` or `value`…),
 * and each broken rule fails.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.ts';
import type { CheckOutcome } from '../../src/checks/types.ts';
import type { ProfileName, RecordedResponse } from '../../src/model.ts';
import { SchemaRegistry } from '../../src/schemas/registry.ts';

function respond(body: unknown, status = 200, headers: Record<string, string> = {}): RecordedResponse {
  const text = JSON.stringify(body);
  return { status, headers: { 'content-type': 'application/json', ...headers }, bodyText: text, bodyBytes: text.length, truncated: false, json: body };
}

interface RunOptions {
  request?: object;
  args?: Record<string, unknown>;
  status?: number;
  headers?: Record<string, string>;
  profile?: ProfileName;
}

async function run(check: string, body: unknown, o: RunOptions = {}): Promise<CheckOutcome> {
  const def = CHECKS.get(check);
  if (!def) throw new Error(`no check ${check}`);
  const profile = o.profile ?? 'azure-openai';
  const surface = profile === 'model-inference' ? 'model-inference/2024-04-01-preview' : 'azure-openai/2024-06-01';
  return def.run({ response: respond(body, o.status, o.headers), requestBody: o.request ?? {}, profile, surface, schemas: SchemaRegistry.shared(), args: o.args ?? {} });
}

function completion(choices: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  return {
    id: 'cmpl-1',
    object: 'text_completion',
    created: 1,
    model: 'm',
    choices: choices.map((c, index) => ({ index, text: ' hi', finish_reason: 'stop', logprobs: null, ...c })),
    usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
    ...extra,
  };
}

describe('completions-choice-count', () => {
  it('counts prompts × n for strings, string arrays, token arrays and arrays of token arrays', async () => {
    const two = completion([{}, {}]);
    expect((await run('completions-choice-count', two, { request: { prompt: ['a', 'b'] } })).ok).toBe(true);
    expect((await run('completions-choice-count', two, { request: { prompt: 'a', n: 2 } })).ok).toBe(true);
    expect((await run('completions-choice-count', two, { request: { prompt: [[1, 2], [3]] } })).ok).toBe(true);
    expect((await run('completions-choice-count', completion([{}]), { request: { prompt: [1, 2, 3] } })).ok).toBe(true);
    expect((await run('completions-choice-count', completion([{}]), { request: {} })).ok).toBe(true);
  });
  it('fails the wrong count and a body without choices', async () => {
    expect((await run('completions-choice-count', completion([{}]), { request: { prompt: ['a', 'b'], n: 2 } })).ok).toBe(false);
    expect((await run('completions-choice-count', { id: 'x' }, { request: { prompt: 'a' } })).ok).toBe(false);
  });
});

describe('completions-finish-reason', () => {
  it('requires every choice to end with the expected reason', async () => {
    expect((await run('completions-finish-reason', completion([{ finish_reason: 'length' }, { finish_reason: 'length' }]), { args: { equals: 'length' } })).ok).toBe(true);
    expect((await run('completions-finish-reason', completion([{ finish_reason: 'length' }, { finish_reason: 'stop' }]), { args: { equals: 'length' } })).ok).toBe(false);
    expect((await run('completions-finish-reason', completion([]), { args: { equals: 'stop' } })).ok).toBe(false);
  });
});

describe('completions-tokens-within-max', () => {
  it('bounds completion_tokens by max_tokens × prompts × max(n, best_of)', async () => {
    const used = (c: number) => completion([{}], { usage: { prompt_tokens: 1, completion_tokens: c, total_tokens: c + 1 } });
    expect((await run('completions-tokens-within-max', used(5), { request: { max_tokens: 5 } })).ok).toBe(true);
    expect((await run('completions-tokens-within-max', used(6), { request: { max_tokens: 5 } })).ok).toBe(false);
    expect((await run('completions-tokens-within-max', used(30), { request: { max_tokens: 5, prompt: ['a', 'b'], n: 3 } })).ok).toBe(true);
    // best_of candidates are generated (and billed) even though only n come back.
    expect((await run('completions-tokens-within-max', used(15), { request: { max_tokens: 5, best_of: 3 } })).ok).toBe(true);
    expect((await run('completions-tokens-within-max', used(0), { request: { max_tokens: 0 } })).ok).toBe(true);
  });
  it('names the number of completions in its message, also for max_tokens 0', async () => {
    const outcome = await run('completions-tokens-within-max', { ...completion([{}]), usage: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 } }, { request: { prompt: 'x', max_tokens: 0 } });
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toBe('completion_tokens 3 exceeds max_tokens 0 × 1 completion(s) = 0');
  });
  it('passes without usage (usage presence is its own check) and is an error when the case sets no max_tokens', async () => {
    expect((await run('completions-tokens-within-max', { ...completion([{}]), usage: null }, { request: { max_tokens: 1 } })).ok).toBe(true);
    expect((await run('completions-tokens-within-max', completion([{}]), { request: {} })).ok).toBe('error');
  });
});

describe('completions-stop-absent', () => {
  it('passes texts without the stop sequences, and ignores a stop sequence inside the echoed prompt', async () => {
    expect((await run('completions-stop-absent', completion([{ text: ' 1' }]), { request: { stop: ',' } })).ok).toBe(true);
    expect((await run('completions-stop-absent', completion([{ text: 'Apples, pears and plums' }]), { request: { prompt: 'Apples, pears', echo: true, stop: ',' } })).ok).toBe(true);
  });
  it('cannot pass on no choices or a choice without text', async () => {
    expect((await run('completions-stop-absent', completion([]), { request: { prompt: 'x', stop: ',' } })).ok).toBe(false);
    expect((await run('completions-stop-absent', completion([{ text: null }]), { request: { prompt: 'x', stop: ',' } })).ok).toBe(false);
  });
  it('fails a text containing any stop sequence', async () => {
    expect((await run('completions-stop-absent', completion([{ text: ' 1, 2' }]), { request: { stop: [';', ','] } })).ok).toBe(false);
    expect((await run('completions-stop-absent', completion([{ text: 'Apples, pears, and' }]), { request: { prompt: 'Apples', echo: true, stop: ',' } })).ok).toBe(false);
  });
});

describe('completions-echo-prefix', () => {
  it('passes texts that start with their prompt (any prompt of an array)', async () => {
    expect((await run('completions-echo-prefix', completion([{ text: 'Once upon a time there' }]), { request: { prompt: 'Once upon a time', echo: true } })).ok).toBe(true);
    expect((await run('completions-echo-prefix', completion([{ text: 'B b' }, { text: 'A a' }]), { request: { prompt: ['A', 'B'], echo: true } })).ok).toBe(true);
  });
  it('fails a text that does not echo the prompt', async () => {
    expect((await run('completions-echo-prefix', completion([{ text: ' there was' }]), { request: { prompt: 'Once upon a time', echo: true } })).ok).toBe(false);
  });
});

const lp = (tokens: string[], top: Array<Record<string, number> | null>, extra: Record<string, unknown> = {}) => ({
  logprobs: { tokens, token_logprobs: tokens.map((_, i) => (top[i] === null ? null : -1)), top_logprobs: top, text_offset: tokens.map((_, i) => i), ...extra },
});

describe('completions-logprobs-present / -aligned', () => {
  it('passes aligned logprobs, with a null first entry as echo gives', async () => {
    const body = completion([lp(['Hi', ' there'], [null, { ' there': -1, ' you': -2 }])]);
    expect((await run('completions-logprobs-present', body, { request: { logprobs: 2 } })).ok).toBe(true);
    expect((await run('completions-logprobs-aligned', body)).ok).toBe(true);
  });
  it('without logprobs the alignment and top_logprobs checks cannot pass; they share completions-logprobs-present\'s finding', async () => {
    const none = completion([{ logprobs: null }]);
    const outcomes = await Promise.all(['completions-logprobs-present', 'completions-logprobs-aligned', 'completions-top-logprobs-at-most', 'completions-top-logprobs-at-least'].map((c) => run(c, none, { request: { prompt: 'x', logprobs: 2 } })));
    expect(outcomes.map((o) => o.ok)).toEqual([false, false, false, false]);
    expect(new Set(outcomes.map((o) => JSON.stringify(o.findings))).size).toBe(1);
  });
  it('fails null logprobs when asked, and arrays of different lengths', async () => {
    expect((await run('completions-logprobs-present', completion([{ logprobs: null }]), { request: { logprobs: 0 } })).ok).toBe(false);
    expect((await run('completions-logprobs-aligned', completion([lp(['a', 'b'], [{ a: -1 }, { b: -1 }], { text_offset: [0] })]))).ok).toBe(false);
  });
});

describe('completions-top-logprobs-at-most / -at-least', () => {
  it('accepts k and k + 1 alternatives (the sampled token may be added)', async () => {
    const body = completion([lp(['a', 'b'], [{ a: -1, x: -2 }, { b: -1, y: -2, z: -3 }])]);
    expect((await run('completions-top-logprobs-at-most', body, { request: { logprobs: 2 } })).ok).toBe(true);
    expect((await run('completions-top-logprobs-at-least', body, { request: { logprobs: 2 } })).ok).toBe(true);
  });
  it('fails more than k + 1 and fewer than k', async () => {
    const many = completion([lp(['a'], [{ a: -1, b: -2, c: -3, d: -4 }])]);
    expect((await run('completions-top-logprobs-at-most', many, { request: { logprobs: 2 } })).ok).toBe(false);
    const few = completion([lp(['a'], [{ a: -1 }])]);
    expect((await run('completions-top-logprobs-at-least', few, { request: { logprobs: 3 } })).ok).toBe(false);
  });
});

describe('completions-usage-present / -sums', () => {
  it('usage absent or null: present fails, sums has nothing to judge', async () => {
    const { usage: _, ...without } = completion([{}]);
    expect((await run('completions-usage-present', without)).ok).toBe(false);
    expect((await run('completions-usage-present', { ...without, usage: null })).ok).toBe(false);
    expect((await run('completions-usage-sums', { ...without, usage: null })).ok).toBe(true);
  });
  it('sums must add up when usage is there', async () => {
    expect((await run('completions-usage-sums', completion([{}]))).ok).toBe(true);
    expect((await run('completions-usage-sums', completion([{}], { usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 3 } }))).ok).toBe(false);
  });
});

describe('completions-prompt-filter-indexes', () => {
  const results = (...indexes: number[]) => ({ prompt_filter_results: indexes.map((prompt_index) => ({ prompt_index, content_filter_results: {} })) });
  it('passes 0..k-1 in any order, and no annotations at all', async () => {
    expect((await run('completions-prompt-filter-indexes', completion([{}, {}], results(1, 0)), { request: { prompt: ['a', 'b'] } })).ok).toBe(true);
    expect((await run('completions-prompt-filter-indexes', completion([{}]), { request: { prompt: 'a' } })).ok).toBe(true);
  });
  it('fails an index beyond the prompts or a repeated one', async () => {
    expect((await run('completions-prompt-filter-indexes', completion([{}, {}], results(1, 2)), { request: { prompt: ['a', 'b'] } })).ok).toBe(false);
    expect((await run('completions-prompt-filter-indexes', completion([{}, {}], results(0, 0)), { request: { prompt: ['a', 'b'] } })).ok).toBe(false);
  });
});

describe('model-inference-body', () => {
  const mi = { profile: 'model-inference' as const };
  it('dispatches by status: 200, 401 with error as a string, 422 as the live service sends it, 400 as ContentFilterError', async () => {
    expect((await run('model-inference-body', { id: '1', object: 'text_completion', created: 1, model: 'm', choices: [{ index: 0, text: 'x', finish_reason: 'stop' }], usage: null }, mi)).ok).toBe(true);
    expect((await run('model-inference-body', { status: 401, error: 'Unauthorized', message: 'no' }, { ...mi, status: 401 })).ok).toBe(true);
    expect((await run('model-inference-body', { status: 422, code: 'parameter_not_supported', detail: { loc: ['body', 'response_format'], input: 'json_object' }, message: 'x' }, { ...mi, status: 422 })).ok).toBe(true);
    expect((await run('model-inference-body', { status: 400, code: null, param: null, message: 'bad' }, { ...mi, status: 400 })).ok).toBe(true);
  });
  it('never looser: a 401 whose `error` is an object (the Azure OpenAI shape) breaks seed 000\'s UnauthorizedError, which types it a string', async () => {
    const outcome = await run('model-inference-body', { error: { code: '401', message: 'Access denied due to invalid subscription key.' } }, { ...mi, status: 401 });
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toMatch(/\/error must be string/);
  });
  it('never looser: detail.loc items are strings (seed 000 "loc string[]")', async () => {
    expect((await run('model-inference-body', { status: 422, detail: { loc: ['body', 'prompt', 0] }, message: 'x' }, { ...mi, status: 422 })).ok).toBe(false);
    expect((await run('model-inference-body', { status: 422, detail: { loc: ['body', 'prompt', '0'] }, message: 'x' }, { ...mi, status: 422 })).ok).toBe(true);
  });
  it('fails a body whose status contradicts the declared component; requires no member the seed does not', async () => {
    expect((await run('model-inference-body', { status: 400, message: 'no' }, { ...mi, status: 401 })).ok).toBe(false);
    expect((await run('model-inference-body', { id: '1', object: 'completion', created: 1, model: 'm', choices: [] }, mi)).ok).toBe(false);
    // Seed 000 has no Required column: a body that explains nothing is error-message's (SHOULD) business, not a type error.
    expect((await run('model-inference-body', { status: 422, code: 'x' }, { ...mi, status: 422 })).ok).toBe(true);
    expect((await run('model-inference-body', { object: 'text_completion', choices: [{ text: 'x' }] }, mi)).ok).toBe(true);
  });
});

describe('model-inference-error-status / -error-code-header / -detail-loc', () => {
  it('error-status: equal or absent passes, different fails, 2xx is not judged', async () => {
    expect((await run('model-inference-error-status', { status: 404, message: 'x' }, { status: 404 })).ok).toBe(true);
    expect((await run('model-inference-error-status', { message: 'x' }, { status: 500 })).ok).toBe(true);
    expect((await run('model-inference-error-status', { status: 400, message: 'x' }, { status: 503 })).ok).toBe(false);
    expect((await run('model-inference-error-status', { status: 7 }, { status: 200 })).ok).toBe(true);
  });
  it('error-code-header: present on errors, not required on 2xx', async () => {
    expect((await run('model-inference-error-code-header', {}, { status: 401, headers: { 'x-ms-error-code': 'Unauthorized' } })).ok).toBe(true);
    expect((await run('model-inference-error-code-header', {}, { status: 401 })).ok).toBe(false);
    expect((await run('model-inference-error-code-header', {}, { status: 422, headers: { 'x-ms-error-code': ' ' } })).ok).toBe(false);
    expect((await run('model-inference-error-code-header', {}, { status: 200 })).ok).toBe(true);
  });
  it('detail-loc: a 422 must name the parameter; a 400 (also legal) is not judged', async () => {
    const args = { param: 'temperature' };
    expect((await run('model-inference-detail-loc', { detail: { loc: ['body', 'temperature'], value: '3' } }, { status: 422, args })).ok).toBe(true);
    expect((await run('model-inference-detail-loc', { detail: { loc: ['body', 'top_p'] } }, { status: 422, args })).ok).toBe(false);
    expect((await run('model-inference-detail-loc', { message: 'x' }, { status: 422, args })).ok).toBe(false);
    expect((await run('model-inference-detail-loc', { message: 'x' }, { status: 400, args })).ok).toBe(true);
  });
});
