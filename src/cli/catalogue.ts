/**
 * The loaded and validated catalogue (requirements and cases), as the CLI commands get it. The build
 * (scripts/build.js) writes it to dist/catalogue.json with a digest of every file it was made from (cases/ and
 * schemas/); the compiled CLI uses that file while the digest still matches, and loads the YAML otherwise.
 * Parsing and validating the YAML took most of `list`'s time and a good part of a run's start.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { CaseSpec, Requirement } from '../model.ts';
import { CASES_DIR, PACKAGE_ROOT, SCHEMAS_DIR } from '../paths.ts';

export interface Catalogue {
  requirements: Map<string, Requirement>;
  cases: CaseSpec[];
}

interface Stored {
  digest: string;
  requirements: Requirement[];
  cases: CaseSpec[];
}

/** Beside the compiled modules only (dist/catalogue.json): the TypeScript sources always load the YAML. */
const STORED = new URL('../../catalogue.json', import.meta.url);

function files(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...files(full));
    else if (/\.(ya?ml|json)$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/** What the catalogue is made from: every YAML and JSON file under cases/ and schemas/, by path and content. */
export function sourceDigest(): string {
  const hash = createHash('sha256');
  for (const file of [...files(CASES_DIR), ...files(SCHEMAS_DIR)]) {
    hash.update(relative(PACKAGE_ROOT, file).split(sep).join('/')).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function stored(): Catalogue | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  let data: Stored;
  try {
    data = JSON.parse(readFileSync(STORED, 'utf8')) as Stored;
  } catch {
    return undefined;
  }
  if (data.digest !== sourceDigest()) return undefined;
  return { requirements: new Map(data.requirements.map((r) => [r.id, r])), cases: data.cases };
}

let memo: Catalogue | undefined;

/** The package's own catalogue: the stored one if it is current, else loaded (and validated) from the YAML. */
export async function catalogue(): Promise<Catalogue> {
  if (memo) return { requirements: memo.requirements, cases: [...memo.cases] };
  memo = stored();
  if (!memo) {
    const { loadCases, loadRequirements } = await import('../cases/load.ts');
    const requirements = loadRequirements();
    memo = { requirements, cases: loadCases(undefined, requirements) };
  }
  return { requirements: memo.requirements, cases: [...memo.cases] };
}

/** Called by the build, from dist/: loads the YAML and stores the result beside the compiled modules. */
export async function storeCatalogue(): Promise<void> {
  const { loadCases, loadRequirements } = await import('../cases/load.ts');
  const requirements = loadRequirements();
  const data: Stored = { digest: sourceDigest(), requirements: [...requirements.values()], cases: loadCases(undefined, requirements) };
  writeFileSync(STORED, JSON.stringify(data));
}
