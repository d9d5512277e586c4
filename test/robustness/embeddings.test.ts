/**
 * Bad input never crashes the embeddings handler: any JSON object (valid fields mixed with arbitrary values),
 * with and without the faults that switch validation rules off, gets a 200 or a 4xx, never a 5xx.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/server.ts';

const KEY = 'embeddings-robustness-key-5a7b';

const field = {
  input: fc.oneof(fc.string(), fc.array(fc.string()), fc.array(fc.integer({ min: -2, max: 100 })), fc.array(fc.array(fc.integer({ min: -1, max: 5 }))), fc.anything()),
  dimensions: fc.oneof(fc.integer({ min: -2, max: 2000 }), fc.anything()),
  encoding_format: fc.oneof(fc.constantFrom('float', 'base64', null), fc.anything()),
  input_type: fc.anything(),
  user: fc.anything(),
};

describe.each([[[]], [['bounds-unchecked', 'required-unchecked']]])('embeddings with faults %j', (faults) => {
  it('answers any JSON object with 200 or 4xx', async () => {
    const emulator = await startEmulator({ key: KEY, faults });
    try {
      await fc.assert(
        fc.asyncProperty(fc.record(field, { requiredKeys: [] }), async (body) => {
          const res = await fetch(`${emulator.url}/v1/embeddings`, {
            method: 'POST',
            headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'text-embedding-3-small', ...body }),
          });
          await res.arrayBuffer();
          expect(res.status === 200 || (res.status >= 400 && res.status < 500), `${res.status} for ${JSON.stringify(body)}`).toBe(true);
        }),
        { numRuns: 100 },
      );
    } finally {
      await emulator.close();
    }
  });
});
