/**
 * Freezes what the engine judges for every committed case: its requirement and level, the profiles it runs in,
 * and the expanded expectations (check, arguments, requirement, level). A change to how cases are written
 * (defaults, presets, derived levels) must leave this unchanged; a change to what is judged updates it on purpose
 * (`npx vitest run test/cases/expanded.test.ts -u`).
 */
import { describe, expect, it } from 'vitest';
import { loadCases, loadRequirements } from '../../src/cases/load.ts';

describe('the expanded cases', () => {
  it('judge the same checks, arguments, requirements and levels as frozen', async () => {
    const requirements = loadRequirements();
    const levelOf = (id: string) => requirements.get(id)?.level;
    const expanded = Object.fromEntries(
      loadCases(undefined, requirements)
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((c) => [
          c.id,
          {
            requirement: c.requirement,
            level: c.level,
            profiles: c.profiles.join(' '),
            // One line per expectation, so a diff names exactly the check that changed.
            expect: c.expect.map((e) => `${e.check} ${JSON.stringify(e.args)} ${e.requirement} ${levelOf(e.requirement)}`),
          },
        ]),
    );
    await expect(JSON.stringify(expanded, null, 1) + '\n').toMatchFileSnapshot('__snapshots__/expanded.json');
  });
});
