/**
 * Regressions of issue 13: each over-strict verdict a conformant server once got is judged again here, on the
 * response that server sent, through the real case and the real judge. A test fails if the verdict comes back.
 */
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/engine/judge.ts';
import type { CaseSpec, CheckResult, Exchange } from '../../src/model.ts';
import { targetFor } from '../../src/target.ts';
import { caseById, cases, requirements } from '../helpers.ts';

const ctx = { target: targetFor({ profile: 'azure-openai', endpoint: 'http://127.0.0.1:9', deployment: 'd' }), apiKey: 'k', requirements };

function exchange(status: number, body: unknown): Exchange {
  const text = JSON.stringify(body);
  return {
    request: { method: 'POST', url: 'http://127.0.0.1:9/', headers: {} },
    response: { status, headers: { 'content-type': 'application/json' }, bodyText: text, bodyBytes: text.length, truncated: false, json: body },
    timings: { startedAt: 0, totalMs: 1 },
  };
}

/** The case's checks on `body`, with the request the case sends (the openai profile's model aside). */
async function judged(id: string, status: number, body: unknown, requestBody?: unknown): Promise<CheckResult[]> {
  const spec = caseById(id);
  return judge(spec, ctx, exchange(status, body), requestBody ?? spec.request.body);
}

const failures = (results: CheckResult[]) => results.filter((r) => r.status === 'fail').map((r) => `${r.check} (${r.requirement}): ${r.message}`);
const warnings = (results: CheckResult[]) => results.filter((r) => r.status === 'warning').map((r) => r.check);

function chat(choices: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  return { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm', choices, ...extra };
}
const reply = (content: string, extra: Record<string, unknown> = {}) => ({ index: 0, finish_reason: 'stop', message: { role: 'assistant', content }, ...extra });

describe('never stricter than the seeds (issue 13)', () => {
  it('a chat finish_reason outside the later enum ("eos") is no MUST failure: seed 003 types it a plain string', async () => {
    const results = await judged('chat-minimal', 200, chat([reply('Hello.', { finish_reason: 'eos' })], { usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }));
    expect(failures(results)).toEqual([]);
  });

  it('a completion whose object is another string is a SHOULD warning, not a MUST failure (seed 003 "objeto | string")', async () => {
    const results = await judged('completions-minimal', 200, { id: 'c', object: 'completion', created: 1, model: 'm', choices: [{ index: 0, text: 'Hi', finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
    expect(failures(results)).toEqual([]);
    expect(warnings(results)).toEqual(['object-type']);
  });

  it('a chat completion without usage passes usage-sums (seed 003 "usada | CompletionUsage | No")', async () => {
    for (const id of ['chat-minimal', 'chat-n-3', 'chat-temperature-min']) {
      const n = id === 'chat-n-3' ? 3 : 1;
      const results = await judged(id, 200, chat(Array.from({ length: n }, (_, i) => reply('Blue.', { index: i }))));
      expect(failures(results), id).toEqual([]);
      expect(results.find((r) => r.check === 'usage-sums')?.status, id).toBe('pass');
    }
  });

  it('a server that follows the official file and rejects a tool without parameters is warned, not failed', async () => {
    const results = await judged('chat-tool-without-parameters', 400, { error: { code: 'invalid_request_error', message: "'parameters' is a required property" } });
    expect(failures(results)).toEqual([]);
    expect(warnings(results)).toEqual(['status']);
  });

  it('a token-array prompt refused under azure-openai is no failure (seed 003 documents strings only)', async () => {
    const results = await judged('completions-token-prompt', 400, { error: { code: 'invalid_prompt', message: 'prompt must be a string or an array of strings' } });
    expect(failures(results)).toEqual([]);
    expect(caseById('completions-token-prompt').needs).toContain('completions_tokens');
  });

  it('a server that routes every deployment name is warned, and its 200 is not judged as an error body', async () => {
    for (const id of ['chat-deployment-unknown', 'completions-deployment-unknown']) {
      const body = id.startsWith('chat') ? chat([reply('Hi.')]) : { id: 'c', object: 'text_completion', created: 1, model: 'm', choices: [{ index: 0, text: 'Hi' }] };
      const results = await judged(id, 200, body);
      expect(failures(results), id).toEqual([]);
      expect(results.filter((r) => r.check.startsWith('error-')).map((r) => r.status), id).toEqual(results.filter((r) => r.check.startsWith('error-')).map(() => 'skipped'));
    }
  });

  it('logprobs without top_logprobs: alternatives the seed never ruled out are not judged (no default of 0 assumed)', async () => {
    const entry = { token: 'Hi', logprob: -0.1, bytes: [72, 105], top_logprobs: [{ token: 'Hi', logprob: -0.1 }, { token: 'Hey', logprob: -2.3 }, { token: 'Hello', logprob: -3 }] };
    const results = await judged('chat-logprobs-only', 200, chat([reply('Hi', { logprobs: { content: [entry] } })]));
    expect(failures(results)).toEqual([]);
  });

  it('a choice without index (seed 003 "índice | integer | No") is no MUST failure', async () => {
    const { index: _index, ...noIndex } = reply('Hello.');
    const results = await judged('chat-minimal', 200, chat([noIndex], { usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }));
    expect(failures(results)).toEqual([]);
    expect(results.find((r) => r.check === 'choice-indexes')?.status).toBe('pass');
  });

  it('"cut by max_tokens ends with length" is not judged when usage shows the model stopped by itself', async () => {
    const stopped = chat([reply('The end.', { index: 0 }), reply('Done.', { index: 1 })], { usage: { prompt_tokens: 20, completion_tokens: 4, total_tokens: 24 } });
    const results = await judged('chat-max-tokens-cut', 200, stopped);
    expect(failures(results)).toEqual([]);
    expect(warnings(results)).toEqual([]);
    const completion = { id: 'c', object: 'text_completion', created: 1, model: 'm', choices: [{ index: 0, text: ' Rome.', finish_reason: 'stop' }], usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 } };
    expect(warnings(await judged('completions-max-tokens-cut', 200, completion))).toEqual([]);
    expect(failures(await judged('mi-completions-max-tokens-cut', 200, completion))).toEqual([]);
  });

  it('…but is judged when usage proves every choice reached max_tokens', async () => {
    const cut = chat([reply('Once upon a', { index: 0 }), reply('The keeper', { index: 1 })], { usage: { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 } });
    expect(warnings(await judged('chat-max-tokens-cut', 200, cut))).toEqual(['chat-finish-reason']);
  });
});

describe('features a target switches off skip the cases that exercise them (validation cases too)', () => {
  /** The request fields (with a value other than null or false) that exercise each optional feature. */
  const FIELDS: Record<string, (body: Record<string, unknown>, spec: CaseSpec) => boolean> = {
    tools: (b) => b.tools !== undefined || b.tool_choice !== undefined,
    functions: (b) => b.functions !== undefined || b.function_call !== undefined,
    logprobs: (b) => (b.logprobs !== undefined && b.logprobs !== null && b.logprobs !== false) || b.top_logprobs !== undefined,
    logit_bias: (b) => b.logit_bias !== undefined && b.logit_bias !== null,
    echo: (b) => b.echo !== undefined && b.echo !== null && b.echo !== false,
    suffix: (b) => b.suffix !== undefined && b.suffix !== null,
    best_of: (b) => b.best_of !== undefined,
    seed: (b, s) => s.operation !== 'images.generations' && b.seed !== undefined,
    embeddings_dimensions: (b, s) => s.operation === 'embeddings' && b.dimensions !== undefined,
    data_sources: (b) => b.data_sources !== undefined,
    json_mode: (b) => b.response_format !== undefined && (b.response_format as { type?: unknown })?.type !== 'text' && typeof b.response_format === 'object',
    completions_tokens: (b, s) => s.operation === 'completions' && !s.profiles.includes('model-inference') && Array.isArray(b.prompt) && b.prompt.some((p) => typeof p !== 'string'),
    streaming: (b) => b.stream === true,
    vision: (b) => JSON.stringify(b.messages ?? []).includes('"image_url"'),
    embeddings_base64: (b, s) => s.operation === 'embeddings' && b.encoding_format === 'base64',
    embeddings_tokens: (b, s) => s.operation === 'embeddings' && Array.isArray(b.input) && b.input.some((i) => typeof i !== 'string'),
    images_b64_json: (b, s) => s.operation === 'images.generations' && b.response_format === 'b64_json',
  };

  it('every case that sends a feature\'s field needs that feature', () => {
    const missing = cases.flatMap((spec) => {
      const fields = spec.request.multipart?.fields ?? {};
      const format = String(fields.response_format ?? '');
      const body = spec.request.body;
      const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
      const used = [
        ...Object.entries(FIELDS).filter(([, uses]) => uses(record, spec)).map(([feature]) => feature),
        ...(format === 'verbose_json' ? ['audio_verbose_json'] : []),
        ...(['text', 'srt', 'vtt'].includes(format) ? ['audio_text_formats'] : []),
        ...(Object.keys(spec.request.headers ?? {}).some((h) => h.toLowerCase() === 'extra-parameters') ? ['extra_parameters'] : []),
      ];
      return used.filter((f) => !spec.needs.includes(f)).map((f) => `${spec.id} needs ${f}`);
    });
    expect(missing).toEqual([]);
  });
});

describe('no Azure-only request field is sent to an OpenAI-style server', () => {
  it('under --profile openai no case sends completion_config, data_sources, input_type, an api-key header or Azure routing headers', () => {
    const offending = cases
      .filter((c) => c.profiles.includes('openai'))
      .flatMap((c) => {
        const body = (c.request.body ?? {}) as Record<string, unknown>;
        const fields = ['completion_config', 'data_sources', 'input_type'].filter((f) => f in body);
        const headers = Object.keys(c.request.headers ?? {}).filter((h) => ['api-key', 'azureml-model-deployment', 'extra-parameters'].includes(h.toLowerCase()));
        const auth = c.request.auth === 'api-key' ? ['auth: api-key'] : [];
        return [...fields, ...headers, ...auth].map((f) => `${c.id}: ${f}`);
      });
    expect(offending).toEqual([]);
  });
});

describe('the same seed statement gets the same level', () => {
  it('stop-sequence exclusion: MUST where seed 003 says it (completions), SHOULD where it does not (chat); MUST in seed 000', () => {
    // Seed 003's completions stop row ends "El texto devuelto no contendrá la secuencia de detención."; its chat rows do not.
    expect(requirements.get('AOAI-COMPLETIONS-STOP-EXCLUDED')?.level).toBe('MUST');
    expect(requirements.get('AOAI-CHAT-STOP-EXCLUDED')?.level).toBe('SHOULD');
    expect(requirements.get('MI-STOP-EXCLUDED')?.level).toBe('MUST');
    expect(requirements.get('AOAI-CHAT-STOP-EXCLUDED')?.quote).not.toContain('El texto devuelto no contendrá la secuencia de detención.');
  });

  it('a range the seed states in words is a MUST in every profile: temperature 0..2 for chat and for Model Inference', () => {
    expect(requirements.get('AOAI-CHAT-TEMPERATURE-RANGE')?.level).toBe('MUST');
    expect(requirements.get('MI-TEMPERATURE-OUT-OF-RANGE')?.level).toBe('MUST');
  });
});
