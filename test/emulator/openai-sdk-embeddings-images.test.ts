/**
 * The official `openai` package talks to the emulator's embeddings and image generation endpoints, as Azure
 * OpenAI (AzureOpenAI with a deployment and api-version 2024-06-01) and as OpenAI (OpenAI with a /v1 base
 * URL). The SDK builds the requests and parses every response (and decodes base64 embeddings itself), so
 * these tests show the emulator's wire format is what real clients expect.
 */
import { BadRequestError } from 'openai';
import { describe, expect, it } from 'vitest';
import { emulatorClients } from './sdk.ts';
import { NATIVE_DIMENSIONS } from '../../emulator/embeddings.ts';
import { imageDimensions, pngProblem } from '../../src/checks/images.ts';

const EMBEDDINGS = 'text-embedding-3-small';
const IMAGES = 'dall-e-3';
const TEST_KEY = 'sdk-embeddings-images-test-key-7c2d4f';

const sdk = emulatorClients(TEST_KEY);
const clients = { azure: sdk.azure, openai: sdk.openai };

function decodeFloat32(b64: string): number[] {
  const bytes = Buffer.from(b64, 'base64');
  return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
}

describe.each(Object.keys(clients) as Array<keyof typeof clients>)('openai SDK embeddings and images against the emulator (%s)', (kind) => {
  const client = (deployment: string) => clients[kind](deployment);
  const texts = ['The quick brown fox.', 'jumps over the lazy dog.', 'Pack my box with five dozen liquor jugs.'];

  it('embeddings.create with encoding_format float: number arrays, one per input, indexed in order, with usage', async () => {
    const result = await client(EMBEDDINGS).embeddings.create({ model: EMBEDDINGS, input: texts, encoding_format: 'float' });
    expect(result.object).toBe('list');
    expect(result.data.map((d) => d.index)).toEqual([0, 1, 2]);
    for (const item of result.data) {
      expect(item.object).toBe('embedding');
      expect(item.embedding).toHaveLength(NATIVE_DIMENSIONS);
      expect(Math.hypot(...item.embedding)).toBeCloseTo(1, 5);
    }
    expect(result.usage.prompt_tokens).toBeGreaterThan(0);
    expect(result.usage.total_tokens).toBe(result.usage.prompt_tokens);
  });

  it('embeddings.create with no encoding_format: the SDK asks for base64 and decodes it to the same numbers as float', async () => {
    const floats = await client(EMBEDDINGS).embeddings.create({ model: EMBEDDINGS, input: texts, encoding_format: 'float' });
    const decoded = await client(EMBEDDINGS).embeddings.create({ model: EMBEDDINGS, input: texts });
    expect(decoded.data).toHaveLength(texts.length);
    decoded.data.forEach((item, i) => {
      expect(Array.isArray(item.embedding)).toBe(true);
      expect(item.embedding).toHaveLength(NATIVE_DIMENSIONS);
      expect(item.embedding).toEqual(floats.data[i].embedding);
    });
  });

  it('embeddings.create with encoding_format base64: strings of little-endian float32, honouring dimensions', async () => {
    const result = await client(EMBEDDINGS).embeddings.create({ model: EMBEDDINGS, input: 'Measure me.', encoding_format: 'base64', dimensions: 64 });
    const embedding = result.data[0].embedding as unknown;
    expect(typeof embedding).toBe('string');
    const values = decodeFloat32(embedding as string);
    expect(values).toHaveLength(64);
    expect(Math.hypot(...values)).toBeCloseTo(1, 5);
  });

  it('embeddings.create with token arrays, user and input_type: one embedding per token array', async () => {
    const body = { model: EMBEDDINGS, input: [[15339, 1917], [9906]], user: 'sdk-user', encoding_format: 'float' as const, input_type: 'query' };
    const result = await client(EMBEDDINGS).embeddings.create(body);
    expect(result.data.map((d) => d.index)).toEqual([0, 1]);
    expect(result.usage.prompt_tokens).toBe(3);
  });

  it('embeddings.create with an empty string in the input array: BadRequestError (400) with an error message', async () => {
    const error = await client(EMBEDDINGS).embeddings.create({ model: EMBEDDINGS, input: ['ok', ''], encoding_format: 'float' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).status).toBe(400);
    expect((error as BadRequestError).message).toMatch(/input/);
  });

  it('images.generate with response_format url: a URL the emulator serves as a real PNG of the requested size', async () => {
    const result = await client(IMAGES).images.generate({ model: IMAGES, prompt: 'A lighthouse at dusk.', size: '1792x1024', quality: 'hd', style: 'natural' });
    expect(result.data).toHaveLength(1);
    const [image] = result.data!;
    expect(image.revised_prompt).toMatch(/A lighthouse at dusk\./);
    const url = new URL(image.url!);
    expect(url.origin).toBe(sdk.url());
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(pngProblem(bytes)).toBeUndefined();
    expect(imageDimensions(bytes)).toEqual({ width: 1792, height: 1024 });
    const filters = (image as unknown as Record<string, unknown>).content_filter_results;
    if (kind === 'azure') expect(filters).toMatchObject({ hate: { filtered: false, severity: 'safe' } });
    else expect(filters).toBeUndefined();
  });

  it('images.generate with response_format b64_json: a valid PNG inline, the same picture for the same request', async () => {
    const request = { model: IMAGES, prompt: 'A red bicycle.', size: '1024x1792' as const, response_format: 'b64_json' as const, user: 'sdk-user' };
    const first = await client(IMAGES).images.generate(request);
    const again = await client(IMAGES).images.generate(request);
    const bytes = Buffer.from(first.data![0].b64_json!, 'base64');
    expect(pngProblem(bytes)).toBeUndefined();
    expect(imageDimensions(bytes)).toEqual({ width: 1024, height: 1792 });
    expect(first.data![0].url ?? undefined).toBeUndefined();
    expect(again.data![0].b64_json).toBe(first.data![0].b64_json);
  });

  it('images.generate with an undocumented size: BadRequestError (400) naming size', async () => {
    const error = await client(IMAGES).images.generate({ model: IMAGES, prompt: 'A cat.', size: '512x512' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).status).toBe(400);
    expect((error as BadRequestError).param).toBe('size');
  });
});
