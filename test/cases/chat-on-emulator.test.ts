/**
 * Every non-streaming chat case passes against the clean emulator, in every profile it applies to: the
 * reference emulator is conformant, so a failure here is a wrong case, a wrong check or a wrong emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import { cases, runAgainst, TEST_KEY } from '../helpers.ts';

const chatCases = cases.filter((c) => c.operation === 'chat.completions' && !c.file.includes('/streaming'));

describe.each(['azure-openai', 'openai'] as const)('chat cases against the clean emulator (%s)', (profile) => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ key: TEST_KEY });
  });
  afterAll(() => emulator.close());

  const applicable = chatCases.filter((c) => c.profiles.includes(profile));

  it('there are chat cases for this profile', () => {
    expect(applicable.length).toBeGreaterThan(50);
  });

  it.each(applicable.map((c) => [c.id, c] as const))('%s passes', async (_id, spec) => {
    const result = await runAgainst(emulator.url, spec, profile);
    const notPassed = result.checks.filter((c) => c.status !== 'pass').map((c) => `${c.check} ${c.status}: ${c.message}`);
    expect(notPassed).toEqual([]);
    expect(result.status).toBe('pass');
  });
});
