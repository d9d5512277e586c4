/** The seed documents' raw text, for tests that check a quote is verbatim (the project keeps them in cases/seeds/). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_FILES, SEEDS_DIR } from '../../src/cases/seeds.ts';

/** The text of seed `id` ("003", "000"). */
export function seedText(id: string): string {
  const file = SEED_FILES[id];
  if (!file) throw new Error(`no seed ${id} (known: ${Object.keys(SEED_FILES).join(', ')})`);
  return readFileSync(join(SEEDS_DIR, file), 'utf8');
}
