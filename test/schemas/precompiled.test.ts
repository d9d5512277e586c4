/**
 * The validators the build stores as AJV standalone code (dist/schema-validators.cjs, src/schemas/precompiled.ts)
 * judge as the compiled ones do: for every schema test vector, the compiled package's registry (which uses the
 * stored code) gives the same outcome, issues included, as a registry compiling from the sources. The same for the
 * emulator's own validators (dist/emulator-validators.cjs, emulator/schemas.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.ts';
import { SchemaRegistry } from '../../src/schemas/registry.ts';
import { schemaIssues } from '../../emulator/schemas.ts';

const BUILT = join(PACKAGE_ROOT, 'dist', 'src', 'schemas', 'registry.js');
const VECTORS_DIR = join(PACKAGE_ROOT, 'test', 'fixtures', 'schema-vectors');

function vectorFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? vectorFiles(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []));
}

// npm test builds dist/ first; a bare `vitest run` in a fresh clone may have none.
describe.skipIf(!existsSync(join(PACKAGE_ROOT, 'dist', 'schema-validators.cjs')))('the stored schema validators', () => {
  it('are used by the compiled registry, and judge every test vector as compiling does', async () => {
    const built = (await import(BUILT)) as { SchemaRegistry: typeof SchemaRegistry };
    const stored = new built.SchemaRegistry();
    expect(stored.usesStoredValidators).toBe(true);
    const compiling = new SchemaRegistry();
    expect(compiling.usesStoredValidators).toBe(false);
    let compared = 0;
    for (const file of vectorFiles(VECTORS_DIR)) {
      const { tests } = JSON.parse(readFileSync(file, 'utf8')) as { tests: Array<{ description: string; data: unknown }> };
      // <surface>/<version>/<title>, as test/schemas/vectors.test.ts names the component a file tests.
      const component = relative(VECTORS_DIR, file).split(sep).join('/').replace(/\.json$/, '');
      for (const t of tests) {
        expect(stored.validate(component, t.data), `${component}: ${t.description}`).toEqual(compiling.validate(component, t.data));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});

describe.skipIf(!existsSync(join(PACKAGE_ROOT, 'dist', 'emulator-validators.cjs')))("the emulator's stored validators", () => {
  it('are used by the compiled emulator, and find the same issues in every test vector as compiling does', async () => {
    const built = (await import(join(PACKAGE_ROOT, 'dist', 'emulator', 'schemas.js'))) as typeof import('../../emulator/schemas.ts');
    expect(built.usesStoredValidators()).toBe(true);
    let compared = 0;
    for (const file of vectorFiles(VECTORS_DIR)) {
      const { tests } = JSON.parse(readFileSync(file, 'utf8')) as { tests: Array<{ description: string; data: unknown }> };
      const component = relative(VECTORS_DIR, file).split(sep).join('/').replace(/\.json$/, '');
      for (const t of tests) {
        expect(built.schemaIssues(component, t.data, ''), `${component}: ${t.description}`).toEqual(schemaIssues(component, t.data, ''));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
