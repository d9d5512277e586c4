/**
 * The emulator's chat model against the chat checks, over generated requests: whatever combination of
 * documented parameters a valid request uses, the reply is schema-valid, consistent and deterministic,
 * and every chat check that applies to it passes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAjv } from '../../src/ajv.ts';
import { chatCompletion, exampleFor, type ChatRequest } from '../../emulator/chat.ts';
import { FaultSet } from '../../emulator/faults.ts';
import { CHECKS } from '../../src/checks/index.ts';
import type { ProfileName, RecordedResponse } from '../../src/model.ts';
import { SchemaRegistry } from '../../src/schemas/registry.ts';

const schemas = SchemaRegistry.shared();

async function check(name: string, body: unknown, requestBody: unknown, profile: ProfileName, args: Record<string, unknown> = {}) {
  const text = JSON.stringify(body);
  const response: RecordedResponse = { status: 200, headers: { 'content-type': 'application/json' }, bodyText: text, bodyBytes: text.length, truncated: false, json: body };
  return CHECKS.get(name)!.run({ response, requestBody, profile, surface: 'azure-openai/2024-06-01', schemas, args });
}

const WEATHER = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { location: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 } }, required: ['location'] },
  },
};

const request: fc.Arbitrary<ChatRequest> = fc
  .record(
    {
      content: fc.oneof(fc.constantFrom('Hi', 'Tell me about the sea.', 'Describe a fruit as JSON.'), fc.string({ maxLength: 40 })),
      n: fc.integer({ min: 1, max: 4 }),
      max_tokens: fc.integer({ min: 0, max: 40 }),
      stop: fc.oneof(fc.constantFrom('.', 'the', ' a'), fc.uniqueArray(fc.constantFrom('.', ',', 'is', 'model', '\n'), { minLength: 1, maxLength: 4 })),
      temperature: fc.constantFrom(0, 0.7, 2),
      top_p: fc.constantFrom(0, 0.5, 1),
      presence_penalty: fc.constantFrom(-2, 0, 1.5),
      frequency_penalty: fc.constantFrom(-2, 0, 2),
      logit_bias: fc.dictionary(fc.integer({ min: 0, max: 40 }).map(String), fc.constantFrom(-100, -1, 1, 100), { maxKeys: 3 }),
      seed: fc.integer({ min: 0, max: 1000 }),
      logprobs: fc.boolean(),
      top_logprobs: fc.integer({ min: 0, max: 5 }),
      json: fc.boolean(),
      tools: fc.constantFrom('none', 'forced', 'auto', 'functions-forced'),
      user: fc.constant('property-test'),
    },
    { requiredKeys: ['content'] },
  )
  .map(({ content, json, tools, top_logprobs, logprobs, ...rest }) => {
    const req: ChatRequest = { messages: [{ role: 'user', content }], ...rest };
    if (logprobs !== undefined) req.logprobs = logprobs;
    if (logprobs && top_logprobs !== undefined) req.top_logprobs = top_logprobs;
    if (json) req.response_format = { type: 'json_object' };
    if (tools === 'forced') Object.assign(req, { tools: [WEATHER], tool_choice: { type: 'function', function: { name: 'get_weather' } } });
    if (tools === 'auto') Object.assign(req, { tools: [WEATHER], tool_choice: 'auto' });
    if (tools === 'functions-forced') Object.assign(req, { functions: [WEATHER.function], function_call: { name: 'get_weather' } });
    return req;
  });

const profile = fc.constantFrom<ProfileName>('azure-openai', 'openai');

describe('the emulator chat model', () => {
  it('answers every valid request with a schema-valid, consistent reply that the chat checks accept', async () => {
    await fc.assert(
      fc.asyncProperty(request, profile, async (req, p) => {
        expect(schemas.validate('createChatCompletionRequest', req).issues).toEqual([]);
        const reply = chatCompletion(req, 'gpt-4o-mini', p, new FaultSet());
        expect(reply.status).toBe(200);
        const body = reply.body as { choices: Array<{ finish_reason: string; message: { content: string | null } }>; usage: Record<string, number> };
        expect(schemas.validate('createChatCompletionResponse', body).issues).toEqual([]);
        expect(body.choices).toHaveLength(req.n ?? 1);

        const applicable = ['usage-sums', 'choice-count', 'choice-indexes', 'chat-assistant-role', 'chat-call-arguments-json', 'chat-call-arguments-schema'];
        if (req.max_tokens !== undefined) applicable.push('chat-max-tokens-respected');
        if (req.stop !== undefined) applicable.push('chat-stop-sequence-honoured', 'chat-stop-sequence-absent');
        if (req.response_format?.type === 'json_object' && !req.tools && !req.functions && stopsCannotCutJson(req)) applicable.push('chat-json-object-content');
        if (req.logprobs) applicable.push('chat-logprobs-structure', 'chat-logprobs-cover-content', 'chat-top-logprobs-at-most', 'chat-top-logprobs-count');
        if (req.tool_choice && typeof req.tool_choice === 'object') applicable.push('chat-forced-tool-call');
        if (req.function_call && typeof req.function_call === 'object') applicable.push('chat-function-call-shape');
        for (const name of applicable) {
          const outcome = await check(name, body, req, p);
          expect(outcome.ok, `${name}: ${outcome.message}`).toBe(true);
        }
        for (const choice of body.choices) {
          if (choice.finish_reason === 'length') expect(body.usage.completion_tokens).toBeGreaterThanOrEqual(req.max_tokens ?? 0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same answer to the same request (apart from the creation time)', () => {
    fc.assert(
      fc.property(request, profile, (req, p) => {
        const strip = (b: unknown) => ({ ...(b as Record<string, unknown>), created: 0 });
        expect(strip(chatCompletion(req, 'm', p, new FaultSet()).body)).toEqual(strip(chatCompletion(structuredClone(req), 'm', p, new FaultSet()).body));
      }),
      { numRuns: 100 },
    );
  });

  it('annotates content filter results in the azure-openai profile only', () => {
    const req: ChatRequest = { messages: [{ role: 'user', content: 'Hi' }] };
    const azure = chatCompletion(req, 'm', 'azure-openai', new FaultSet()).body as Record<string, unknown>;
    const openai = chatCompletion(req, 'm', 'openai', new FaultSet()).body as Record<string, unknown>;
    expect(azure.prompt_filter_results).toBeDefined();
    expect((azure.choices as Array<Record<string, unknown>>)[0].content_filter_results).toBeDefined();
    expect(openai.prompt_filter_results).toBeUndefined();
    expect((openai.choices as Array<Record<string, unknown>>)[0].content_filter_results).toBeUndefined();
  });

  it('grounds replies on data_sources only in the azure-openai profile, never echoing credentials', () => {
    const req: ChatRequest = {
      messages: [{ role: 'user', content: 'How do I care for a dog?' }],
      data_sources: [{ type: 'azure_search', parameters: { endpoint: 'https://s.search.windows.net', index_name: 'pets', authentication: { type: 'api_key', key: 'very-secret-key' } } }],
    };
    const azure = chatCompletion(req, 'm', 'azure-openai', new FaultSet()).body;
    expect(JSON.stringify(azure)).not.toContain('very-secret-key');
    const message = (azure as { choices: Array<{ message: { context?: { citations: unknown[]; intent: string } } }> }).choices[0].message;
    expect(message.context?.citations).toHaveLength(1);
    expect(message.context?.intent).toEqual(expect.any(String));
    const openai = chatCompletion(req, 'm', 'openai', new FaultSet()).body as { choices: Array<{ message: Record<string, unknown> }> };
    expect(openai.choices[0].message.context).toBeUndefined();
  });

  it('makes greedy decoding (temperature 0) give identical choices, and the seed change the wording', () => {
    const greedy = chatCompletion({ messages: [{ role: 'user', content: 'Hi' }], n: 3, temperature: 0 }, 'm', 'openai', new FaultSet()).body as { choices: Array<{ message: { content: string } }> };
    expect(new Set(greedy.choices.map((c) => c.message.content)).size).toBe(1);
    const contentFor = (seed: number) => (chatCompletion({ messages: [{ role: 'user', content: 'Hi' }], seed }, 'm', 'openai', new FaultSet()).body as typeof greedy).choices[0].message.content;
    expect(contentFor(1)).toBe(contentFor(1));
    expect(contentFor(1)).not.toBe(contentFor(2));
  });

  it('does not crash on requests a fault let through unvalidated (no messages, negative counts)', () => {
    const odd = [{} as ChatRequest, { messages: [{}], n: 0, top_logprobs: -1, logprobs: true } as unknown as ChatRequest, { messages: 'Hi', tools: [{}], tool_choice: { function: {} } } as unknown as ChatRequest];
    for (const req of odd) expect(chatCompletion(req, 'm', 'azure-openai', new FaultSet()).status).toBe(200);
  });
});

/** JSON mode with a stop sequence that occurs in the JSON text cuts it (as a real model would): not judged. */
function stopsCannotCutJson(req: ChatRequest): boolean {
  const stops = typeof req.stop === 'string' ? [req.stop] : (req.stop ?? []);
  return stops.length === 0;
}

describe('tool call arguments built from a parameters schema', () => {
  const ajv = createAjv({ strict: false });
  it.each([
    ['an object with required and optional properties', { type: 'object', properties: { location: { type: 'string' }, unit: { enum: ['c', 'f'] } }, required: ['location'] }],
    ['bounded numbers and strings', { type: 'object', properties: { n: { type: 'integer', minimum: 3, maximum: 9 }, x: { type: 'number', exclusiveMinimum: 0 }, s: { type: 'string', minLength: 20, maxLength: 30 } }, required: ['n', 'x', 's'] }],
    ['arrays, booleans, nested objects and nullable types', { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' }, minItems: 2 }, ok: { type: 'boolean' }, inner: { type: 'object', properties: { when: { type: 'string', format: 'date' } }, required: ['when'] }, maybe: { type: ['null', 'integer'] } }, required: ['tags', 'ok', 'inner', 'maybe'] }],
    ['unions and constants', { type: 'object', properties: { either: { anyOf: [{ type: 'integer' }, { type: 'string' }] }, fixed: { const: 'v1' } }, required: ['either', 'fixed'] }],
    ['an empty object', { type: 'object', properties: {} }],
  ])('%s', (_name, schema) => {
    const value = exampleFor(schema);
    expect(ajv.validate(schema, value), JSON.stringify(ajv.errors)).toBe(true);
  });
});
