/**
 * The official `openai` SDK pointed at an emulator started for the calling test file: as Azure OpenAI
 * (AzureOpenAI with a deployment and api-version 2024-06-01) and as OpenAI (OpenAI with a /v1 base URL).
 * Retries are off: a failure must show at once, not after back-off.
 */
import { AzureOpenAI, OpenAI } from 'openai';
import { afterAll, beforeAll } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import { TEST_KEY } from '../helpers.ts';

export function emulatorClients(key: string = TEST_KEY) {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ key });
  });
  afterAll(() => emulator.close());
  return {
    url: () => emulator.url,
    azure: (deployment: string) => new AzureOpenAI({ endpoint: emulator.url, apiKey: key, apiVersion: '2024-06-01', deployment, maxRetries: 0 }),
    openai: () => new OpenAI({ baseURL: `${emulator.url}/v1`, apiKey: key, maxRetries: 0 }),
  };
}
