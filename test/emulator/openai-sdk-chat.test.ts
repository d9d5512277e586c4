/**
 * The official `openai` package talks to the emulator's chat completions endpoint, as Azure OpenAI
 * (AzureOpenAI with a deployment and api-version 2024-06-01) and as OpenAI (OpenAI with a /v1 base URL).
 * The SDK builds the requests and parses every response, so these tests show the emulator's wire format
 * is what real clients expect. Retries are off: a failure must show at once, not after back-off.
 */
import { BadRequestError, type OpenAI } from 'openai';
import { describe, expect, it } from 'vitest';
import { emulatorClients } from './sdk.ts';
import { TEST_KEY } from '../helpers.ts';

const DEPLOYMENT = 'gpt-4o-mini';

const sdk = emulatorClients(TEST_KEY);
const clients = { azure: () => sdk.azure(DEPLOYMENT), openai: sdk.openai };

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Returns the current weather for a location.',
    parameters: {
      type: 'object',
      properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['location'],
    },
  },
};

describe.each(Object.keys(clients) as Array<keyof typeof clients>)('openai SDK chat.completions.create against the emulator (%s)', (kind) => {
  const client = () => clients[kind]();

  it('a plain message: one assistant choice with text, finish_reason stop and consistent usage', async () => {
    const result = await client().chat.completions.create({ model: DEPLOYMENT, messages: [{ role: 'user', content: 'Say hello.' }] });
    expect(result.object).toBe('chat.completion');
    expect(result.id).toMatch(/^chatcmpl-/);
    expect(result.model).toBe(DEPLOYMENT);
    expect(result.choices).toHaveLength(1);
    const [choice] = result.choices;
    expect(choice.index).toBe(0);
    expect(choice.message.role).toBe('assistant');
    expect(choice.message.content).toEqual(expect.any(String));
    expect(choice.message.content!.length).toBeGreaterThan(0);
    expect(choice.finish_reason).toBe('stop');
    expect(result.usage!.total_tokens).toBe(result.usage!.prompt_tokens + result.usage!.completion_tokens);
  });

  it('n = 2: two choices indexed 0 and 1', async () => {
    const result = await client().chat.completions.create({ model: DEPLOYMENT, messages: [{ role: 'user', content: 'Name a colour.' }], n: 2 });
    expect(result.choices.map((c) => c.index)).toEqual([0, 1]);
    for (const choice of result.choices) expect(choice.message.content).toEqual(expect.any(String));
  });

  it('tools with a forced tool_choice: a tool call of that function whose arguments JSON.parse to an object', async () => {
    const result = await client().chat.completions.create({
      model: DEPLOYMENT,
      messages: [{ role: 'user', content: 'Should I take an umbrella in Paris?' }],
      tools: [{ type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } }, weatherTool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    const [choice] = result.choices;
    expect(choice.finish_reason).toBe('tool_calls');
    const calls = choice.message.tool_calls ?? [];
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call.type).toBe('function');
    expect(call.id).toEqual(expect.any(String));
    if (call.type !== 'function') throw new Error('not a function call');
    expect(call.function.name).toBe('get_weather');
    const args = JSON.parse(call.function.arguments) as Record<string, unknown>;
    expect(args).toEqual(expect.objectContaining({ location: expect.any(String) }));
  });

  it('the tool result sent back as a tool message: the model answers with text', async () => {
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Should I take an umbrella in Paris?' }];
    const first = await client().chat.completions.create({ model: DEPLOYMENT, messages, tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } } });
    const call = first.choices[0].message.tool_calls![0];
    messages.push(first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: '{"sky":"rain"}' });
    const second = await client().chat.completions.create({ model: DEPLOYMENT, messages, tools: [weatherTool] });
    expect(second.choices[0].message.content).toEqual(expect.any(String));
    expect(second.choices[0].message.tool_calls ?? []).toEqual([]);
  });

  it('response_format json_object: content that JSON.parse turns into an object', async () => {
    const result = await client().chat.completions.create({
      model: DEPLOYMENT,
      messages: [{ role: 'user', content: 'Describe a fruit as JSON.' }],
      response_format: { type: 'json_object' },
    });
    const parsed: unknown = JSON.parse(result.choices[0].message.content!);
    expect(parsed).toEqual(expect.any(Object));
    expect(Array.isArray(parsed)).toBe(false);
  });

  it('logprobs with top_logprobs 3: one entry per output token, each with three alternatives and bytes that spell the content', async () => {
    const result = await client().chat.completions.create({
      model: DEPLOYMENT,
      messages: [{ role: 'user', content: 'Say hello.' }],
      logprobs: true,
      top_logprobs: 3,
      max_tokens: 8,
    });
    const [choice] = result.choices;
    expect(choice.finish_reason).toBe('length');
    const entries = choice.logprobs!.content!;
    expect(entries).toHaveLength(result.usage!.completion_tokens);
    for (const entry of entries) {
      expect(entry.token).toEqual(expect.any(String));
      expect(entry.logprob).toBeLessThanOrEqual(0);
      expect(entry.top_logprobs).toHaveLength(3);
    }
    expect(Buffer.from(entries.flatMap((e) => e.bytes ?? [])).toString('utf8')).toBe(choice.message.content);
  });

  it('an invalid request (temperature 3) surfaces as the SDK\'s BadRequestError with the message', async () => {
    const attempt = client().chat.completions.create({ model: DEPLOYMENT, messages: [{ role: 'user', content: 'Hi' }], temperature: 3 });
    await expect(attempt).rejects.toBeInstanceOf(BadRequestError);
    await expect(attempt).rejects.toMatchObject({ status: 400, message: expect.stringContaining('temperature') });
  });
});
