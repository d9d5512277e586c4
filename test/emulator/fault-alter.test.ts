/**
 * A fault's own `alter` and `alterChunk` (emulator/faults/types.ts) act like the `faults.has` branches they replace:
 * only while the fault is on, only on success bodies (or streamed chunks) of the operations they name; a body's
 * alteration reaches streamed replies too (they are cut from the altered body).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULTS, FaultSet } from '../../emulator/faults.ts';
import { type RunningEmulator, startEmulator } from '../../emulator/server.ts';
import { STREAM_SHAPE_HEADER } from '../../emulator/stream.ts';
import { TEST_KEY } from '../helpers.ts';

const CHAT = '/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-06-01';
const EMBEDDINGS = '/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-06-01';
const HELLO = { messages: [{ role: 'user', content: 'Say hello.' }] };

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ key: TEST_KEY, faults: ['chat-missing-id', 'chat-object-wrong'] });
});
afterAll(() => emulator.close());

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(emulator.url + path, { method: 'POST', headers: { 'content-type': 'application/json', 'api-key': TEST_KEY, ...headers }, body: JSON.stringify(body) });
}

describe('fault alterations', () => {
  it('name the operations they change', () => {
    const altering = FAULTS.filter((f) => f.alter || f.alterChunk);
    expect(altering.length).toBeGreaterThan(0);
    for (const f of altering) for (const hook of [f.alter, f.alterChunk]) if (hook) expect(hook.operations.length, f.id).toBeGreaterThan(0);
  });

  it('change a body only while their fault is on, and only for the operations they name', () => {
    const ctx = { operation: 'chat.completions', profile: 'azure-openai', request: {} } as const;
    const untouched = { id: 'chatcmpl-1', object: 'chat.completion' };
    new FaultSet().alter(untouched, ctx);
    expect(untouched).toEqual({ id: 'chatcmpl-1', object: 'chat.completion' });
    const otherOperation = { id: 'x', object: 'list' };
    new FaultSet(['chat-missing-id', 'chat-object-wrong']).alter(otherOperation, { ...ctx, operation: 'embeddings' });
    expect(otherOperation).toEqual({ id: 'x', object: 'list' });
    const altered: Record<string, unknown> = { id: 'chatcmpl-1', object: 'chat.completion' };
    new FaultSet(['chat-missing-id', 'chat-object-wrong']).alter(altered, ctx);
    expect(altered).toEqual({ object: 'chat.completions' });
  });

  it('change a streamed chunk only while their fault is on, told where the chunk stands', () => {
    const at = (index: number, operation: 'chat.completions' | 'embeddings' = 'chat.completions') => ({ operation, profile: 'openai', request: {}, index, count: 4 }) as const;
    const chunk = (index: number, faults: string[], operation?: 'chat.completions' | 'embeddings') => {
      const c: Record<string, unknown> = { id: 'chatcmpl-1', object: 'chat.completion.chunk' };
      new FaultSet(faults).alterChunk(c, at(index, operation));
      return c;
    };
    expect(chunk(3, [])).toEqual({ id: 'chatcmpl-1', object: 'chat.completion.chunk' });
    expect(chunk(1, ['stream-id-changes']).id).toBe('chatcmpl-1');
    expect(chunk(2, ['stream-id-changes']).id).toBe('chatcmpl-1-b');
    expect(chunk(0, ['stream-chunk-object-wrong']).object).toBe('chat.completion');
    expect(chunk(3, ['stream-id-changes', 'stream-chunk-object-wrong'], 'embeddings')).toEqual({ id: 'chatcmpl-1', object: 'chat.completion.chunk' });
  });

  it('reach the JSON reply of the operation, and leave other operations and error replies as they are', async () => {
    const chat = await post(CHAT, HELLO);
    expect(chat.status).toBe(200);
    const json = (await chat.json()) as Record<string, unknown>;
    expect(json).not.toHaveProperty('id');
    expect(json.object).toBe('chat.completions');

    const embeddings = (await (await post(EMBEDDINGS, { input: 'hello' })).json()) as Record<string, unknown>;
    expect(embeddings.object).toBe('list');

    const invalid = await post(CHAT, { ...HELLO, max_tokens: -1 });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toHaveProperty('error.code');
  });

  it('reach a streamed reply, which is cut from the altered body', async () => {
    // The plain shape: Azure's prompt-annotation events carry an empty id of their own.
    const text = await (await post(CHAT, { ...HELLO, stream: true }, { [STREAM_SHAPE_HEADER]: 'openai' })).text();
    const chunks = text
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => JSON.parse(line.slice('data: '.length)) as Record<string, unknown>)
      .filter((c) => Array.isArray(c.choices) && c.choices.length > 0);
    expect(chunks.length).toBeGreaterThan(0);
    for (const c of chunks) expect(c).not.toHaveProperty('id');
  });
});
