/**
 * The catalogue the build stores for the compiled CLI (dist/catalogue.json) is the one the YAML gives: storing
 * loses nothing, and the stored file is current (its digest is that of today's cases/ and schemas/).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCases, loadRequirements } from '../../src/cases/load.ts';
import { catalogue, sourceDigest } from '../../src/cli/catalogue.ts';
import { PACKAGE_ROOT } from '../../src/paths.ts';

const STORED = join(PACKAGE_ROOT, 'dist', 'catalogue.json');

describe('the stored catalogue', () => {
  it('is the loaded one after a JSON round trip', () => {
    const requirements = loadRequirements();
    const cases = loadCases(undefined, requirements);
    expect(JSON.parse(JSON.stringify({ requirements: [...requirements.values()], cases }))).toEqual({ requirements: [...requirements.values()], cases });
  });

  it('from the TypeScript sources, the catalogue is loaded from the YAML', async () => {
    const loaded = await catalogue();
    expect(loaded.cases).toEqual(loadCases());
    expect([...loaded.requirements.keys()]).toEqual([...loadRequirements().keys()]);
  });

  // npm test builds dist/ first; a bare `vitest run` in a fresh clone may have none.
  it.skipIf(!existsSync(STORED))('the build stored the current catalogue, with the digest of its sources', () => {
    const stored = JSON.parse(readFileSync(STORED, 'utf8')) as { digest: string; cases: unknown[]; requirements: unknown[] };
    expect(stored.digest).toBe(sourceDigest());
    expect(stored.cases).toEqual(loadCases());
    expect(stored.requirements).toEqual([...loadRequirements().values()]);
  });
});
