/**
 * Every audio case passes against the clean emulator, in every profile it applies to: the reference
 * emulator is conformant, so a failure here is a wrong case, a wrong check or a wrong emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import { cases, runAgainst, TEST_KEY } from '../helpers.ts';

const audioCases = cases.filter((c) => c.operation === 'audio.transcriptions' || c.operation === 'audio.translations');

describe.each(['azure-openai', 'openai'] as const)('audio cases against the clean emulator (%s)', (profile) => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ key: TEST_KEY });
  });
  afterAll(() => emulator.close());

  it('there are audio cases for both operations', () => {
    expect(audioCases.filter((c) => c.operation === 'audio.transcriptions').length).toBeGreaterThan(10);
    expect(audioCases.filter((c) => c.operation === 'audio.translations').length).toBeGreaterThan(10);
  });

  it.each(audioCases.map((c) => [c.id, c] as const))('%s passes', async (_id, spec) => {
    const result = await runAgainst(emulator.url, spec, profile);
    const notPassed = result.checks.filter((c) => c.status !== 'pass').map((c) => `${c.check} ${c.status}: ${c.message}`);
    expect(notPassed).toEqual([]);
    expect(result.status).toBe('pass');
  });
});
