/**
 * Freezes what the engine judges for every committed case: its requirement and level, the profiles it runs in,
 * and the expanded expectations (check, arguments, requirement, level). A change to how cases are written
 * (defaults, presets, derived levels) must leave this unchanged; a change to what is judged updates it on purpose
 * (`npx vitest run test/cases/expanded.test.ts -u`).
 */
import { describe, expect, it } from 'vitest';
import { loadCases, loadRequirements } from '../../src/cases/load.ts';
import type { CaseSpec } from '../../src/model.ts';
import { requirementFor } from '../../src/requirements.ts';

describe('the expanded cases', () => {
  it('judge the same checks, arguments, requirements and levels as frozen', async () => {
    const requirements = loadRequirements();
    // A requirement with a source per profile group is at the level of the case's first profile (as the case is).
    const levelOf = (id: string, c: CaseSpec) => {
      const r = requirements.get(id);
      return r && requirementFor(r, c.profiles[0]).level;
    };
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
            expect: c.expect.map((e) => `${e.check} ${JSON.stringify(e.args)} ${e.requirement} ${levelOf(e.requirement, c)}`),
          },
        ]),
    );
    await expect(JSON.stringify(expanded, null, 1) + '\n').toMatchFileSnapshot('__snapshots__/expanded.json');
  });
});
