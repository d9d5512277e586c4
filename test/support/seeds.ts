/**
 * The seed documents' text, for tests that check a quote is verbatim. The seeds are kept in the repository as
 * fixtures; they are found by file name (`003_….txt`, `000_….txt`) wherever the project keeps them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.ts';

const SEARCHED = ['test/fixtures', 'cases', 'schemas', 'docs', 'seeds'];
const cache = new Map<string, string>();

function find(dir: string, prefix: string): string | undefined {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isFile() && e.name.startsWith(prefix) && e.name.endsWith('.txt')) return path;
    if (e.isDirectory()) {
      const found = find(path, prefix);
      if (found) return found;
    }
  }
  return undefined;
}

/** The text of seed `id` ("003", "000"). */
export function seedText(id: string): string {
  let text = cache.get(id);
  if (text === undefined) {
    const path = SEARCHED.map((d) => find(join(PACKAGE_ROOT, d), `${id}_`)).find(Boolean);
    if (!path) throw new Error(`seed ${id} is not kept in the repository (looked for ${id}_*.txt under ${SEARCHED.join(', ')})`);
    text = readFileSync(path, 'utf8');
    cache.set(id, text);
  }
  return text;
}
