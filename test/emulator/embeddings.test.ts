/**
 * The emulator's embeddings: its vectors (deterministic, unit length, Matryoshka-style prefixes, float32 in both
 * encodings) and its request validation. The checks on hand-made responses are in test/checks/embeddings.test.ts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embed, NATIVE_DIMENSIONS, toBase64 } from '../../emulator/embeddings.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import { decodeBase64 } from '../../src/checks/embeddings.ts';
import { SchemaRegistry } from '../../src/schemas/registry.ts';

const KEY = 'embeddings-test-key-1f3a';

describe('the emulator vectors', () => {
  it('are deterministic, unit length, and differ by input and input_type', () => {
    const a = embed('\u0000text:hello', NATIVE_DIMENSIONS);
    expect(a).toHaveLength(NATIVE_DIMENSIONS);
    expect(embed('\u0000text:hello', NATIVE_DIMENSIONS)).toEqual(a);
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    expect(embed('\u0000text:hello!', NATIVE_DIMENSIONS)).not.toEqual(a);
    expect(embed('query\u0000text:hello', NATIVE_DIMENSIONS)).not.toEqual(a);
  });

  it('with fewer dimensions are the re-normalised prefix of the full vector', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: NATIVE_DIMENSIONS }), (text, dimensions) => {
        const full = embed(text, NATIVE_DIMENSIONS);
        const cut = embed(text, dimensions);
        expect(cut).toHaveLength(dimensions);
        const norm = Math.hypot(...full.slice(0, dimensions));
        cut.forEach((v, i) => expect(v).toBeCloseTo(full[i] / norm, 5));
      }),
      { numRuns: 50 },
    );
  });

  it('encode to base64 as little-endian float32 that decodes to exactly the same numbers', () => {
    const vector = embed('x', 16);
    const bytes = decodeBase64(toBase64(vector))!;
    expect(bytes).toHaveLength(64);
    expect(Array.from({ length: 16 }, (_, i) => bytes.readFloatLE(i * 4))).toEqual(Array.from(vector));
    expect(decodeBase64(toBase64(vector, true))!.length % 4).not.toBe(0);
  });
});

describe('the emulator answers embeddings requests', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ key: KEY });
  });
  afterAll(() => emulator.close());
  const post = async (body: unknown) => {
    const res = await fetch(`${emulator.url}/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-06-01`, { method: 'POST', headers: { 'api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> & { data: Array<{ index: number; embedding: number[] | string }> } };
  };

  it('for any array of non-empty strings: one valid item per input, in order, the same numbers in float and base64', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 64 }), async (input, dimensions) => {
        const floats = await post({ input, dimensions });
        const encoded = await post({ input, dimensions, encoding_format: 'base64' });
        expect(floats.status).toBe(200);
        expect(SchemaRegistry.shared().validate('createEmbeddingResponse', floats.json).issues).toEqual([]);
        expect(floats.json.data.map((d) => d.index)).toEqual(input.map((_, i) => i));
        encoded.json.data.forEach((item, i) => {
          const bytes = decodeBase64(item.embedding as string)!;
          expect(Array.from({ length: bytes.length / 4 }, (_, k) => bytes.readFloatLE(k * 4))).toEqual(floats.json.data[i].embedding);
        });
      }),
      { numRuns: 20 },
    );
  });

  it.each([
    ['a null input', { input: null }],
    ['an empty array', { input: [] }],
    ['an empty string in the array', { input: ['a', ''] }],
    ['2049 inputs', { input: Array.from({ length: 2049 }, () => 'a') }],
    ['an empty token array', { input: [[1], []] }],
    ['a negative token id', { input: [1, -2] }],
    ['mixed strings and token arrays', { input: ['a', [1]] }],
    ['dimensions 0', { input: 'a', dimensions: 0 }],
    [`dimensions ${NATIVE_DIMENSIONS + 1}`, { input: 'a', dimensions: NATIVE_DIMENSIONS + 1 }],
    ['encoding_format hex', { input: 'a', encoding_format: 'hex' }],
    ['user as a number', { input: 'a', user: 7 }],
  ])('rejects %s with 400 and an errorResponse naming the parameter', async (_, body) => {
    const { status, json } = await post(body);
    expect(status).toBe(400);
    expect(SchemaRegistry.shared().validate('errorResponse', json).valid).toBe(true);
    expect((json.error as { param?: string }).param).toMatch(/^(input|dimensions|encoding_format|user)/);
  });

  it('accepts token arrays (an extension of 2024-06-01) and counts their tokens', async () => {
    const { status, json } = await post({ input: [[1, 2, 3], [4]] });
    expect(status).toBe(200);
    expect(json.data).toHaveLength(2);
    expect(json.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
  });

  it('accepts a lone empty string, which the schema allows, with zero tokens', async () => {
    const { status, json } = await post({ input: '' });
    expect(status).toBe(200);
    expect(json.usage).toEqual({ prompt_tokens: 0, total_tokens: 0 });
  });
});
