/**
 * Bad input never crashes the image handler: any JSON object (valid fields mixed with arbitrary values),
 * with and without the faults that let undocumented values through, gets a 200 or a 4xx, never a 5xx.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/server.ts';

const KEY = 'images-robustness-key-0d9e';

const field = {
  prompt: fc.oneof(fc.string({ maxLength: 30 }), fc.anything()),
  n: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.anything()),
  size: fc.oneof(fc.constantFrom('1792x1024', '1024x1792', '1024x1024', '0x0', '99999x1', '64x64'), fc.anything()),
  quality: fc.oneof(fc.constantFrom('standard', 'hd'), fc.anything()),
  style: fc.oneof(fc.constantFrom('vivid', 'natural'), fc.anything()),
  response_format: fc.oneof(fc.constantFrom('url', 'b64_json'), fc.anything()),
  user: fc.anything(),
};

describe.each([[[]], [['bounds-unchecked', 'required-unchecked', 'images-enums-unchecked']]])('image generation with faults %j', (faults) => {
  it('answers any JSON object with 200 or 4xx', async () => {
    const emulator = await startEmulator({ key: KEY, faults });
    try {
      await fc.assert(
        fc.asyncProperty(fc.record(field, { requiredKeys: [] }), async (body) => {
          const res = await fetch(`${emulator.url}/openai/deployments/dall-e-3/images/generations?api-version=2024-06-01`, {
            method: 'POST',
            headers: { 'api-key': KEY, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          await res.arrayBuffer();
          expect(res.status === 200 || (res.status >= 400 && res.status < 500), `${res.status} for ${JSON.stringify(body)}`).toBe(true);
        }),
        { numRuns: 60 },
      );
    } finally {
      await emulator.close();
    }
  });
});
