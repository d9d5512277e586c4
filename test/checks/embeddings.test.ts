/** The embeddings checks and their readers (input count, base64 float32) on hand-made responses, legal variations included. */
import { describe, expect, it } from 'vitest';
import { toBase64 } from '../../emulator/embeddings.ts';
import { decodeBase64, inputCount } from '../../src/checks/embeddings.ts';
import { CHECKS } from '../../src/checks/index.ts';
import type { CheckOutcome } from '../../src/checks/types.ts';
import { SchemaRegistry } from '../../src/schemas/registry.ts';

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
