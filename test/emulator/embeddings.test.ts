/**
 * Embeddings: the emulator's vectors (deterministic, unit length, Matryoshka-style prefixes, float32 in both
 * encodings), its request validation, and the checks on hand-made responses, legal variations included.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embed, NATIVE_DIMENSIONS, toBase64 } from '../../emulator/embeddings.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import { decodeBase64, inputCount } from '../../src/checks/embeddings.ts';
import { CHECKS } from '../../src/checks/index.ts';
import type { CheckOutcome } from '../../src/checks/types.ts';
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

describe('inputCount and decodeBase64', () => {
  it.each([
    ['a string', 'hi', 1],
    ['an array of strings', ['a', 'b', 'c'], 3],
    ['one token array', [1, 2, 3], 1],
    ['an array of token arrays', [[1], [2, 3]], 2],
    ['an empty array', [], 0],
    ['an object', { text: 'hi' }, undefined],
  ])('%s', (_, input, expected) => expect(inputCount(input)).toBe(expected));

  it('accepts padded standard base64 (line breaks too) and rejects other alphabets, missing padding and data: URLs', () => {
    expect(decodeBase64('AAAAAA==')).toEqual(Buffer.alloc(4));
    expect(decodeBase64('AAAA\nAAA=')).toEqual(Buffer.from([0, 0, 0, 0, 0]));
    for (const bad of ['AAAAAA', 'AA-_AA==', 'data:;base64,AAAA', 'AA AA===']) expect(decodeBase64(bad), bad).toBeUndefined();
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

async function run(check: string, json: unknown, requestBody: unknown): Promise<CheckOutcome> {
  const response = { status: 200, headers: { 'content-type': 'application/json' }, bodyText: JSON.stringify(json), bodyBytes: 0, truncated: false, json };
  return CHECKS.get(check)!.run({ response, requestBody, profile: 'azure-openai', surface: 'azure-openai/2024-06-01', schemas: SchemaRegistry.shared(), args: {} });
}

const item = (index: number, embedding: unknown = [0.6, 0.8]) => ({ object: 'embedding', index, embedding });

describe('the embeddings checks', () => {
  it('embeddings-count counts a token array as one input and an array of token arrays per element', async () => {
    expect((await run('embeddings-count', { data: [item(0)] }, { input: [1, 2, 3] })).ok).toBe(true);
    expect((await run('embeddings-count', { data: [item(0), item(1)] }, { input: [[1], [2]] })).ok).toBe(true);
    expect((await run('embeddings-count', { data: [item(0)] }, { input: ['a', 'b'] })).ok).toBe(false);
    expect((await run('embeddings-count', { data: [] }, {})).ok).toBe('error');
  });

  it('embeddings-indexes accepts any order of 0..n-1 but no gap, duplicate or offset; embeddings-order wants ascending', async () => {
    expect((await run('embeddings-indexes', { data: [item(1), item(0)] }, {})).ok).toBe(true);
    expect((await run('embeddings-order', { data: [item(1), item(0)] }, {})).ok).toBe(false);
    for (const data of [[item(0), item(0)], [item(0), item(2)], [item(1)]]) expect((await run('embeddings-indexes', { data }, {})).ok).toBe(false);
    const many = Array.from({ length: 2048 }, (_, i) => item(i + 1));
    const outcome = await run('embeddings-indexes', { data: many }, {});
    expect(outcome.ok).toBe(false);
    expect(outcome.message.length).toBeLessThan(200);
  });

  it('embeddings-dimensions reads float and base64 vectors alike and compares with dimensions', async () => {
    const b64 = toBase64(Float32Array.from([0.6, 0.8]));
    expect((await run('embeddings-dimensions', { data: [item(0), item(1, b64)] }, { dimensions: 2 })).ok).toBe(true);
    expect((await run('embeddings-dimensions', { data: [item(0), item(1, [1, 0, 0])] }, {})).ok).toBe(false);
    expect((await run('embeddings-dimensions', { data: [item(0)] }, { dimensions: 3 })).ok).toBe(false);
    expect((await run('embeddings-dimensions', { data: [item(0, [])] }, {})).ok).toBe(false);
    // No vectors give nothing to measure: that is embeddings-count's finding, shared so it is reported once.
    const empty = await run('embeddings-dimensions', { data: [] }, {});
    expect(empty.ok).toBe(false);
    expect(empty.findings).toEqual((await run('embeddings-count', { data: [] }, { input: 'x' })).findings);
  });

  it('embeddings-encoding follows encoding_format, float being the default and null meaning the default', async () => {
    expect((await run('embeddings-encoding', { data: [item(0)] }, { encoding_format: null })).ok).toBe(true);
    expect((await run('embeddings-encoding', { data: [item(0, 'AAAA')] }, {})).ok).toBe(false);
    expect((await run('embeddings-encoding', { data: [item(0)] }, { encoding_format: 'base64' })).ok).toBe(false);
    expect((await run('embeddings-encoding', { data: [item(0, [0.1, '0.2'])] }, {})).ok).toBe(false);
  });

  it('embeddings-base64 wants whole, finite float32 values', async () => {
    const nan = Buffer.alloc(8);
    nan.writeFloatLE(Number.NaN, 4);
    expect((await run('embeddings-base64', { data: [item(0, toBase64(Float32Array.from([1, 2])))] }, {})).ok).toBe(true);
    expect((await run('embeddings-base64', { data: [item(0, nan.toString('base64'))] }, {})).ok).toBe(false);
    expect((await run('embeddings-base64', { data: [item(0, Buffer.alloc(6).toString('base64'))] }, {})).ok).toBe(false);
    expect((await run('embeddings-base64', { data: [item(0, '')] }, {})).ok).toBe(false);
  });

  it('embeddings-item-object wants "embedding" on every item', async () => {
    expect((await run('embeddings-item-object', { data: [item(0), { ...item(1), object: 'vector' }] }, {})).ok).toBe(false);
  });
});
