/**
 * The official `openai` package talks to the emulator's audio endpoints, as Azure OpenAI (AzureOpenAI with a
 * deployment and api-version 2024-06-01) and as OpenAI (OpenAI with a /v1 base URL): the SDK builds the
 * multipart body itself and parses every response format, so the emulator's wire format is what clients expect.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OpenAI, toFile } from 'openai';
import type { TranslationVerbose } from 'openai/resources/audio/translations';
import { describe, expect, it } from 'vitest';
import { emulatorClients } from './sdk.ts';
import { parseSrt, parseVtt } from '../../src/checks/audio.ts';

const HELLO = fileURLToPath(new URL('../../cases/fixtures/audio/hello.wav', import.meta.url));
const DEPLOYMENT = 'whisper';
const TEST_KEY = 'sdk-audio-test-key-4b1e9c';

const sdk = emulatorClients(TEST_KEY);
const clients = { azure: () => sdk.azure(DEPLOYMENT), openai: sdk.openai };

describe.each(Object.keys(clients) as Array<keyof typeof clients>)('openai SDK audio against the emulator (%s)', (kind) => {
  const client = () => clients[kind]();
  const hello = () => toFile(readFileSync(HELLO), 'hello.wav', { type: 'audio/wav' });

  it('transcriptions.create, json: a Transcription with text', async () => {
    const result = await client().audio.transcriptions.create({ file: await hello(), model: DEPLOYMENT, response_format: 'json' });
    expect(result.text).toMatch(/1\.26 seconds/);
  });

  it('transcriptions.create from a read stream, text: a string', async () => {
    const result = await client().audio.transcriptions.create({ file: createReadStream(HELLO), model: DEPLOYMENT, response_format: 'text' });
    expect(typeof result).toBe('string');
    expect(result.trim()).toMatch(/^This is the reference emulator's transcript/);
  });

  it('transcriptions.create, verbose_json with language, prompt and temperature: a TranscriptionVerbose', async () => {
    const result = await client().audio.transcriptions.create({ file: await hello(), model: DEPLOYMENT, response_format: 'verbose_json', language: 'en', prompt: 'Hello.', temperature: 0.2 });
    expect(result.language).toBe('english');
    expect(result.duration).toBeCloseTo(1.26, 2);
    expect(result.segments?.length).toBeGreaterThanOrEqual(2);
    expect(result.segments?.every((s) => s.temperature === 0.2 && s.start <= s.end)).toBe(true);
    expect((result as unknown as { task: string }).task).toBe('transcribe');
  });

  it('transcriptions.create, srt and vtt: strings in their formats', async () => {
    const srt = await client().audio.transcriptions.create({ file: await hello(), model: DEPLOYMENT, response_format: 'srt' });
    const vtt = await client().audio.transcriptions.create({ file: await hello(), model: DEPLOYMENT, response_format: 'vtt' });
    expect(parseSrt(srt).problems).toEqual([]);
    expect(parseVtt(vtt).problems).toEqual([]);
  });

  it('translations.create, json: a Translation in English', async () => {
    const result = await client().audio.translations.create({ file: await hello(), model: DEPLOYMENT, response_format: 'json' });
    expect(result.text).toMatch(/English translation/);
  });

  it('translations.create, text: a string', async () => {
    // The SDK's translation overloads resolve to Translation for every format; the runtime value is what counts.
    const result = (await client().audio.translations.create({ file: await hello(), model: DEPLOYMENT, response_format: 'text' })) as unknown as string;
    expect(typeof result).toBe('string');
    expect(result.trim()).toMatch(/English translation of 1\.26 seconds/);
  });

  it('translations.create, verbose_json with prompt and temperature: task "translate", English', async () => {
    const result = (await client().audio.translations.create({ file: await hello(), model: DEPLOYMENT, response_format: 'verbose_json', prompt: 'Hello.', temperature: 0 })) as unknown as TranslationVerbose;
    expect(result).toMatchObject({ task: 'translate', language: 'english', duration: 1.26 });
    expect(result.segments?.map((s) => s.id)).toEqual(result.segments?.map((_, i) => i));
  });

  it('an out-of-range temperature surfaces as a 400 BadRequestError', async () => {
    const error = await client()
      .audio.transcriptions.create({ file: await hello(), model: DEPLOYMENT, temperature: 1.5 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).status).toBe(400);
  });
});
