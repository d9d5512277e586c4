/**
 * Where the package's data lives (cases/, schemas/, package.json), found from this module's location so
 * the same code works from the TypeScript sources and from the compiled dist/ tree.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'cases'))) return dir;
    if (dirname(dir) === dir) throw new Error(`aoai-conformance: no package root above ${from}`);
  }
}

export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const CASES_DIR = join(PACKAGE_ROOT, 'cases');
export const SCHEMAS_DIR = join(PACKAGE_ROOT, 'schemas');
/** Data files cases refer to (audio, images), under cases/; not cases. */
export const FIXTURES_DIR = 'fixtures';
