/**
 * The emulator's completions behaviour, over HTTP: determinism, prompts × n, best_of, max_tokens, echo,
 * logprobs consistency, usage accounting, Azure annotations, and the Model Inference profile (extra-parameters,
 * azureml-model-deployment, every error component with x-ms-error-code, the 429 shape). Bad input never crashes it.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import { SchemaRegistry } from '../../src/schemas/registry.ts';
import { TEST_KEY } from '../helpers.ts';

const MI = 'model-inference/2024-04-01-preview';
const schemas = SchemaRegistry.shared();

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ key: TEST_KEY });
});
afterAll(() => emulator.close());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: Json }> {
  const res = await fetch(emulator.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'api-key': TEST_KEY, authorization: `Bearer ${TEST_KEY}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Json };
}

const azure = (body: unknown) => post('/openai/deployments/gpt-35-turbo-instruct/completions?api-version=2024-06-01', body);
const openai = (body: unknown) => post('/v1/completions', { model: 'gpt-35-turbo-instruct', ...(body as object) });
const mi = (body: unknown, headers: Record<string, string> = {}) => post('/completions?api-version=2024-04-01-preview', body, headers);

describe('completions emulator (Azure OpenAI / OpenAI)', () => {
  it('answers the same request the same way (id and texts), with a schema-valid body', async () => {
    const body = { prompt: ['a', 'b'], n: 2, max_tokens: 6, logprobs: 2 };
    const [first, second] = [await azure(body), await azure(body)];
    expect(first.status).toBe(200);
    expect(schemas.validate('createCompletionResponse', first.json).issues).toEqual([]);
    const strip = (j: Json) => ({ ...j, created: 0 });
    expect(strip(first.json)).toEqual(strip(second.json));
  });

  it('orders choices prompt-major and counts usage from the returned tokens', async () => {
    const { json } = await openai({ prompt: ['Hello', 'Bye'], n: 2, max_tokens: 5, logprobs: 0, echo: true });
    expect(json.choices.map((c: Json) => c.text.split(' ')[0])).toEqual(['Hello', 'Hello', 'Bye', 'Bye']);
    const generated = json.choices.reduce((sum: number, c: Json) => sum + c.logprobs.tokens.length - 1, 0);
    expect(json.usage.completion_tokens).toBe(generated);
    expect(json.usage.prompt_tokens).toBe(2);
    expect(json.usage.total_tokens).toBe(json.usage.prompt_tokens + json.usage.completion_tokens);
  });

  it('applies the documented default max_tokens of 16', async () => {
    const { json } = await azure({ prompt: 'Tell me everything.' });
    expect(json.usage.completion_tokens).toBe(16);
    expect(json.choices[0].finish_reason).toBe('length');
  });

  it('max_tokens 0 generates nothing; with echo the text is exactly the prompt', async () => {
    const { json } = await azure({ prompt: 'Just this', max_tokens: 0, echo: true });
    expect(json.choices[0].text).toBe('Just this');
    expect(json.choices[0].finish_reason).toBe('length');
    expect(json.usage.completion_tokens).toBe(0);
  });

  it('best_of generates every candidate (billed) and returns the best n', async () => {
    const { json } = await azure({ prompt: 'Pick', best_of: 4, n: 2, max_tokens: 3 });
    expect(json.choices).toHaveLength(2);
    expect(json.usage.completion_tokens).toBe(4 * 3);
  });

  it('rejects best_of smaller than n with 400 naming best_of', async () => {
    const { status, json } = await azure({ prompt: 'Pick', best_of: 1, n: 2 });
    expect(status).toBe(400);
    expect(json.error.param).toBe('best_of');
  });

  it('logprobs text_offset walks the tokens, and tokens join back to the text', async () => {
    const { json } = await openai({ prompt: 'The sky', logprobs: 5, max_tokens: 8 });
    const { tokens, text_offset, top_logprobs } = json.choices[0].logprobs;
    expect(tokens.join('')).toBe(json.choices[0].text);
    for (let i = 1; i < tokens.length; i++) expect(text_offset[i]).toBe(text_offset[i - 1] + tokens[i - 1].length);
    expect(text_offset[0]).toBe('The sky'.length);
    for (const entry of top_logprobs) expect(Object.keys(entry)).toHaveLength(5);
  });

  it('cuts before a stop sequence found mid-text and never includes it', async () => {
    const { json } = await azure({ prompt: 'x', stop: ['real', 'never-there'], max_tokens: 100 });
    expect(json.choices[0].text).not.toContain('real');
    expect(json.choices[0].finish_reason).toBe('stop');
  });

  it('annotates Azure responses with content filter results, and OpenAI ones not', async () => {
    const a = await azure({ prompt: ['x', 'y', 'z'], max_tokens: 1 });
    expect(a.json.prompt_filter_results.map((r: Json) => r.prompt_index)).toEqual([0, 1, 2]);
    expect(a.json.choices[0].content_filter_results.hate).toEqual({ filtered: false, severity: 'safe' });
    const o = await openai({ prompt: 'x', max_tokens: 1 });
    expect(o.json.prompt_filter_results).toBeUndefined();
    expect(o.json.choices[0].content_filter_results).toBeUndefined();
  });
});

describe('completions emulator (Model Inference)', () => {
  it('answers the seed sample request with a valid CreateCompletionResponse and the default deployment name', async () => {
    const { status, json } = await mi({ prompt: 'This is a very good text', frequency_penalty: 0, presence_penalty: 0, max_tokens: 256, seed: 42, stop: '<|endoftext|>', stream: false, temperature: 0, top_p: 1 });
    expect(status).toBe(200);
    expect(schemas.validate(`${MI}/CreateCompletionResponse`, json).issues).toEqual([]);
    expect(json.model).toBe('model-inference-default');
    expect(json.choices[0]).not.toHaveProperty('logprobs');
  });

  it('rejects an extra parameter by default and with error: 422 parameter_not_supported, detail.loc and x-ms-error-code', async () => {
    for (const headers of [{}, { 'extra-parameters': 'error' }] as Array<Record<string, string>>) {
      const { status, json, headers: h } = await mi({ prompt: 'x', logit_bias: { '1': 2 } }, headers);
      expect(status).toBe(422);
      expect(json).toMatchObject({ status: 422, code: 'parameter_not_supported', detail: { loc: ['body', 'logit_bias'], input: { '1': 2 } } });
      expect(h.get('x-ms-error-code')).toBe('parameter_not_supported');
      expect(schemas.validate(`${MI}/UnprocessableContentError`, json).issues).toEqual([]);
    }
  });

  it('ignore (and drop) serves the request without the extra parameter; pass-through (and allow) hands it to the model', async () => {
    for (const mode of ['ignore', 'drop']) {
      const { status, json } = await mi({ prompt: 'x', n: 3, max_tokens: 2 }, { 'extra-parameters': mode });
      expect(status).toBe(200);
      expect(json.choices).toHaveLength(1);
    }
    for (const mode of ['pass-through', 'allow']) {
      const { status, json } = await mi({ prompt: 'x', n: 3, max_tokens: 2 }, { 'extra-parameters': mode });
      expect(status).toBe(200);
      expect(json.choices).toHaveLength(3);
    }
  });

  it('refuses an unknown extra-parameters value with a 400 ContentFilterError-shaped body', async () => {
    const { status, json } = await mi({ prompt: 'x' }, { 'extra-parameters': 'sometimes' });
    expect(status).toBe(400);
    expect(schemas.validate(`${MI}/ContentFilterError`, json).issues).toEqual([]);
  });

  it('routes by azureml-model-deployment: a known name is the model, an unknown one is a 404 NotFoundError', async () => {
    const known = await mi({ prompt: 'x', max_tokens: 1 }, { 'azureml-model-deployment': 'gpt-35-turbo-instruct' });
    expect(known.json.model).toBe('gpt-35-turbo-instruct');
    const unknown = await mi({ prompt: 'x' }, { 'azureml-model-deployment': 'nope' });
    expect(unknown.status).toBe(404);
    expect(schemas.validate(`${MI}/NotFoundError`, unknown.json).issues).toEqual([]);
    expect(unknown.headers.get('x-ms-error-code')).toBeTruthy();
  });

  it('answers a wrong token 401 with an UnauthorizedError and x-ms-error-code', async () => {
    const { status, json, headers } = await mi({ prompt: 'x' }, { authorization: 'Bearer wrong' });
    expect(status).toBe(401);
    expect(schemas.validate(`${MI}/UnauthorizedError`, json).issues).toEqual([]);
    expect(headers.get('x-ms-error-code')).toBeTruthy();
  });

  it('answers schema violations 422 locating the parameter (array indexes as integers)', async () => {
    const { status, json } = await mi({ prompt: ['ok', 7] });
    expect(status).toBe(422);
    expect(json.detail.loc[0]).toBe('body');
    expect(json.detail.loc[1]).toBe('prompt');
  });

  it('answers over its rate limit 429 with a TooManyRequestsError, x-ms-error-code and retry hints', async () => {
    const limited = await startEmulator({ key: TEST_KEY, rateLimit: { requests: 1, windowMs: 60_000 } });
    try {
      const send = () =>
        fetch(`${limited.url}/completions?api-version=2024-04-01-preview`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEY}` }, body: '{"prompt":"x"}' });
      expect((await send()).status).toBe(200);
      const res = await send();
      expect(res.status).toBe(429);
      expect(schemas.validate(`${MI}/TooManyRequestsError`, await res.json()).issues).toEqual([]);
      expect(res.headers.get('x-ms-error-code')).toBeTruthy();
      expect(res.headers.get('retry-after')).toBeTruthy();
    } finally {
      await limited.close();
    }
  });
});

describe('completions emulator robustness', () => {
  const value = fc.oneof(fc.string(), fc.integer({ min: -1000, max: 5000 }), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.constant(1e9), fc.array(fc.oneof(fc.string(), fc.integer({ min: -5, max: 60000 })), { maxLength: 6 }));
  const body = fc.record(
    {
      prompt: fc.oneof(value, fc.array(fc.array(fc.integer({ min: 0, max: 60000 }), { maxLength: 4 }), { maxLength: 3 })),
      n: value,
      best_of: value,
      max_tokens: value,
      stop: value,
      echo: value,
      logprobs: value,
      suffix: value,
      logit_bias: fc.oneof(value, fc.dictionary(fc.string(), fc.double({ noNaN: true }))),
    },
    { requiredKeys: [] },
  );

  it('never answers a random body with a server error, in any profile', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('azure', 'openai', 'mi-pass-through'), async (b, profile) => {
        const res = profile === 'azure' ? await azure(b) : profile === 'openai' ? await openai(b) : await mi(b, { 'extra-parameters': 'pass-through' });
        expect(res.status).toBeLessThan(500);
        if (res.status === 200) expect(Array.isArray(res.json.choices)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('completions emulator limits', () => {
  it('refuses a request too large to answer (2048 prompts × best_of 128) with 400 instead of building it', async () => {
    const { status, json } = await openai({ prompt: Array(2048).fill('x'), best_of: 128, max_tokens: 1 });
    expect(status).toBe(400);
    expect(json.error.param).toBe('best_of');
  });
  it('still answers the documented maxima one at a time (2048 prompts; n 128; best_of 128)', async () => {
    expect((await openai({ prompt: Array(2048).fill('x'), max_tokens: 1 })).json.choices).toHaveLength(2048);
    expect((await openai({ prompt: 'x', n: 128, max_tokens: 1 })).json.choices).toHaveLength(128);
    expect((await openai({ prompt: 'x', best_of: 128, max_tokens: 1 })).json.choices).toHaveLength(1);
  });
  it('refuses a passed-through n beyond what the model can do with a 422 naming it (Model Inference)', async () => {
    const { status, json } = await mi({ prompt: 'x', n: 1_000_000_000 }, { 'extra-parameters': 'pass-through' });
    expect(status).toBe(422);
    expect(json.detail.loc).toEqual(['body', 'n']);
  });
});
