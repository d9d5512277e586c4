/**
 * The official `openai` package talks to the emulator's completions endpoint, as Azure OpenAI (AzureOpenAI with a
 * deployment and api-version 2024-06-01) and as OpenAI (OpenAI with a /v1 base URL). The SDK builds the requests
 * and parses every response, so these tests show the emulator's wire format is what real clients expect.
 * Retries are off: a failure must show at once, not after back-off.
 */
import { BadRequestError } from 'openai';
import { describe, expect, it } from 'vitest';
import { emulatorClients } from './sdk.ts';
import { TEST_KEY } from '../helpers.ts';

const DEPLOYMENT = 'gpt-35-turbo-instruct';

const sdk = emulatorClients(TEST_KEY);
const clients = { azure: () => sdk.azure(DEPLOYMENT), openai: sdk.openai };

describe.each(Object.keys(clients) as Array<keyof typeof clients>)('openai SDK completions.create against the emulator (%s)', (kind) => {
  const client = () => clients[kind]();

  it('a string prompt: one text_completion choice with text and consistent usage', async () => {
    const result = await client().completions.create({ model: DEPLOYMENT, prompt: 'Say hello.', max_tokens: 32 });
    expect(result.object).toBe('text_completion');
    expect(result.id).toMatch(/^cmpl-/);
    expect(result.model).toBe(DEPLOYMENT);
    expect(result.choices).toHaveLength(1);
    const [choice] = result.choices;
    expect(choice.index).toBe(0);
    expect(choice.text.length).toBeGreaterThan(0);
    expect(choice.finish_reason).toBe('stop');
    expect(choice.logprobs).toBeNull();
    expect(result.usage!.total_tokens).toBe(result.usage!.prompt_tokens + result.usage!.completion_tokens);
  });

  it('an array prompt with n = 2: two choices per prompt, indexed 0..3', async () => {
    const result = await client().completions.create({ model: DEPLOYMENT, prompt: ['Roses are', 'Violets are'], n: 2, max_tokens: 4 });
    expect(result.choices.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    for (const choice of result.choices) {
      expect(choice.finish_reason).toBe('length');
      expect(choice.text).toEqual(expect.any(String));
    }
    expect(result.usage!.completion_tokens).toBeLessThanOrEqual(4 * 4);
  });

  it('logprobs 3: tokens, token_logprobs, top_logprobs and text_offset are aligned, each top entry of 3 tokens', async () => {
    const result = await client().completions.create({ model: DEPLOYMENT, prompt: 'The capital of France is', logprobs: 3, max_tokens: 5 });
    const logprobs = result.choices[0].logprobs!;
    const length = logprobs.tokens!.length;
    expect(length).toBe(5);
    expect(logprobs.token_logprobs).toHaveLength(length);
    expect(logprobs.text_offset).toHaveLength(length);
    expect(logprobs.top_logprobs).toHaveLength(length);
    for (const entry of logprobs.top_logprobs!) expect(Object.keys(entry)).toHaveLength(3);
    // The tokens are the text, split.
    expect(logprobs.tokens!.join('')).toBe(result.choices[0].text);
  });

  it('echo: the text starts with the prompt; with logprobs the first token has no logprob', async () => {
    const prompt = 'Once upon a time';
    const result = await client().completions.create({ model: DEPLOYMENT, prompt, echo: true, logprobs: 1, max_tokens: 3 });
    const [choice] = result.choices;
    expect(choice.text.startsWith(prompt)).toBe(true);
    expect(choice.text.length).toBeGreaterThan(prompt.length);
    expect(choice.logprobs!.token_logprobs![0]).toBeNull();
    expect(choice.logprobs!.text_offset![0]).toBe(0);
    expect(choice.logprobs!.tokens!.join('')).toBe(choice.text);
  });

  it('stop: the text ends before the stop sequence and does not contain it', async () => {
    const result = await client().completions.create({ model: DEPLOYMENT, prompt: 'Describe the emulator.', stop: ['.'], max_tokens: 64 });
    const [choice] = result.choices;
    expect(choice.text).not.toContain('.');
    expect(choice.finish_reason).toBe('stop');
  });

  it('an out-of-range n is refused with a 400 the SDK raises as BadRequestError', async () => {
    await expect(client().completions.create({ model: DEPLOYMENT, prompt: 'Hi', n: 129 })).rejects.toBeInstanceOf(BadRequestError);
  });
});

describe('openai SDK completions.create against the emulator (azure annotations)', () => {
  it('Azure adds prompt_filter_results per prompt and content_filter_results per choice, and the SDK keeps them', async () => {
    const result = await clients.azure().completions.create({ model: DEPLOYMENT, prompt: ['One', 'Two'], max_tokens: 2 });
    const raw = result as unknown as { prompt_filter_results: Array<{ prompt_index: number }>; choices: Array<{ content_filter_results: unknown }> };
    expect(raw.prompt_filter_results.map((r) => r.prompt_index)).toEqual([0, 1]);
    for (const choice of raw.choices) expect(choice.content_filter_results).toMatchObject({ hate: { filtered: false } });
  });
});
