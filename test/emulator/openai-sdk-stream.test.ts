/**
 * The official `openai` SDK consumes the emulator's chat and completions streams without error, through AzureOpenAI
 * (Azure-shaped streams: prompt-filter first event, annotations without a delta) and OpenAI with a baseURL (plain
 * streams), and what it reassembles equals the emulator's non-stream answer to the same request.
 */
import { AzureOpenAI, OpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_SHAPE_HEADER } from '../../emulator/stream.ts';
import { type RunningEmulator, startEmulator } from '../../emulator/server.ts';
import { TEST_KEY } from '../helpers.ts';

const CHAT = 'gpt-4o-mini';
const INSTRUCT = 'gpt-35-turbo-instruct';
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_current_weather',
    description: 'Get the current weather in a given location',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ key: TEST_KEY });
});
afterAll(async () => {
  await emu.close();
});

type Client = OpenAI;
const clients: Array<[string, () => Client]> = [
  ['AzureOpenAI (Azure-shaped stream)', () => new AzureOpenAI({ endpoint: emu.url, apiKey: TEST_KEY, apiVersion: '2024-06-01', maxRetries: 0 })],
  ['OpenAI with baseURL (plain stream)', () => new OpenAI({ baseURL: `${emu.url}/v1`, apiKey: TEST_KEY, maxRetries: 0 })],
  ['OpenAI with baseURL (Azure-shaped stream)', () => new OpenAI({ baseURL: `${emu.url}/v1`, apiKey: TEST_KEY, maxRetries: 0, defaultHeaders: { [STREAM_SHAPE_HEADER]: 'azure' } })],
];

describe.each(clients)('%s', (_name, make) => {
  it('iterates a chat stream and reassembles the non-stream content of every choice', async () => {
    const client = make();
    const request = { model: CHAT, messages: [{ role: 'user' as const, content: 'Say hello.' }], n: 2 };
    const full = await client.chat.completions.create(request);
    const stream = await client.chat.completions.create({ ...request, stream: true });
    const content = ['', ''];
    const finish: Array<string | null> = [null, null];
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      for (const choice of chunk.choices ?? []) {
        // Azure annotation events carry no delta.
        if (choice.delta?.content) content[choice.index] += choice.delta.content;
        if (choice.finish_reason) finish[choice.index] = choice.finish_reason;
      }
    }
    expect(chunks).toBeGreaterThan(4);
    expect(content).toEqual(full.choices.map((c) => c.message.content));
    expect(finish).toEqual(full.choices.map((c) => c.finish_reason));
  });

  it('the chat stream helper builds the final completion, tool calls included', async () => {
    const client = make();
    const request = { model: CHAT, messages: [{ role: 'user' as const, content: 'What is the weather in Paris?' }], tools: [weatherTool], tool_choice: { type: 'function' as const, function: { name: 'get_current_weather' } } };
    const full = await client.chat.completions.create(request);
    const final = await client.chat.completions.stream(request).finalChatCompletion();
    const call = final.choices[0].message.tool_calls?.[0];
    const expected = full.choices[0].message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    // Ids are per request (stream: true makes it another request); a complete call has one.
    expect(call?.id).toMatch(/^call_/);
    if (call?.type === 'function' && expected?.type === 'function') {
      expect(call.function.name).toBe('get_current_weather');
      expect(JSON.parse(call.function.arguments)).toEqual(JSON.parse(expected.function.arguments));
    }
    expect(final.choices[0].finish_reason).toBe(full.choices[0].finish_reason);
  });

  it('the chat stream helper reassembles plain content with log probabilities', async () => {
    const client = make();
    const request = { model: CHAT, messages: [{ role: 'user' as const, content: 'Say hello.' }], logprobs: true, top_logprobs: 1 };
    const full = await client.chat.completions.create(request);
    const final = await client.chat.completions.stream(request).finalChatCompletion();
    expect(final.choices[0].message.content).toBe(full.choices[0].message.content);
    expect(final.choices[0].logprobs?.content?.map((t) => t.token)).toEqual(full.choices[0].logprobs?.content?.map((t) => t.token));
  });

  it('iterates a completions stream and reassembles the non-stream text', async () => {
    const client = make();
    const request = { model: INSTRUCT, prompt: 'tell me a joke about mango', max_tokens: 24 };
    const full = await client.completions.create(request);
    const stream = await client.completions.create({ ...request, stream: true });
    let text = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      for (const choice of chunk.choices ?? []) {
        text += choice.text ?? '';
        if (choice.finish_reason) finish = choice.finish_reason;
      }
    }
    expect(text).toBe(full.choices[0].text);
    expect(finish).toBe(full.choices[0].finish_reason);
  });
});

describe('deprecated functions through the SDK', () => {
  it.each(clients)('%s: the stream helper reassembles a forced function_call', async (_name, make) => {
    const client = make();
    const request = {
      model: CHAT,
      messages: [{ role: 'user' as const, content: 'What is the weather in Paris?' }],
      functions: [weatherTool.function],
      function_call: { name: 'get_current_weather' },
    };
    const full = await client.chat.completions.create(request);
    const final = await client.chat.completions.stream(request).finalChatCompletion();
    expect(final.choices[0].message.function_call?.name).toBe('get_current_weather');
    expect(JSON.parse(final.choices[0].message.function_call!.arguments)).toEqual(JSON.parse(full.choices[0].message.function_call!.arguments));
  });
});

describe('Model Inference completions through the SDK', () => {
  it('OpenAI pointed at the Model Inference route iterates the stream and reassembles the non-stream text', async () => {
    // The SDK always sends `model`, a parameter Model Inference does not define: extra-parameters says to drop it.
    const client = new OpenAI({ baseURL: emu.url, apiKey: TEST_KEY, maxRetries: 0, defaultQuery: { 'api-version': '2024-04-01-preview' }, defaultHeaders: { 'extra-parameters': 'ignore' } });
    const request = { model: INSTRUCT, prompt: 'This is a very good text', max_tokens: 24 };
    const full = await client.completions.create(request);
    let text = '';
    for await (const chunk of await client.completions.create({ ...request, stream: true })) text += chunk.choices.map((c) => c.text).join('');
    expect(text).toBe(full.choices[0].text);
  });
});

describe('stream usage through the SDK', () => {
  it('OpenAI: include_usage yields a final usage chunk equal to the non-stream usage', async () => {
    const client = new OpenAI({ baseURL: `${emu.url}/v1`, apiKey: TEST_KEY, maxRetries: 0 });
    const request = { model: CHAT, messages: [{ role: 'user' as const, content: 'Say hello.' }] };
    const full = await client.chat.completions.create(request);
    const stream = await client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
    let usage: unknown = null;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage).toEqual(full.usage);
  });

  it('AzureOpenAI 2024-06-01: no usage in the stream (stream_options arrives in a later api-version)', async () => {
    const client = new AzureOpenAI({ endpoint: emu.url, apiKey: TEST_KEY, apiVersion: '2024-06-01', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: CHAT, messages: [{ role: 'user', content: 'Say hello.' }], stream: true, stream_options: { include_usage: true } });
    const usages: unknown[] = [];
    for await (const chunk of stream) if (chunk.usage) usages.push(chunk.usage);
    expect(usages).toEqual([]);
  });
});
