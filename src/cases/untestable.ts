/**
 * The seed statements no black-box case can evidence (cases/requirements/untestable.yaml): each quotes the seed,
 * verbatim like a requirement's quote, and says why no response could show it kept or broken. A statement a
 * requirement quotes is evidenced, so it cannot be untestable as well.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createAjv } from '../ajv.ts';
import type { Requirement } from '../model.ts';
import { CASES_DIR } from '../paths.ts';
import { CaseLoadError, REQUIREMENTS_DIR, UNTESTABLE_FILE } from './load.ts';
import { normaliseWhitespace, quotesOf } from './seeds.ts';
import { sourcesOf } from '../requirements.ts';

export interface Untestable {
  id: string;
  source: '003' | '000';
  section: string;
  quote: string | string[];
  reason: string;
}

const validate = createAjv({ strict: true, allErrors: true }).compile(JSON.parse(readFileSync(join(CASES_DIR, 'untestable.schema.json'), 'utf8')) as object);

/** The list, validated against cases/untestable.schema.json; a problem is a load error naming the field. */
export function loadUntestable(dir: string = CASES_DIR): Untestable[] {
  const data = parseYaml(readFileSync(join(dir, REQUIREMENTS_DIR, UNTESTABLE_FILE), 'utf8')) as unknown;
  const where = `cases/${REQUIREMENTS_DIR}/${UNTESTABLE_FILE}`;
  if (!validate(data)) throw new CaseLoadError((validate.errors ?? []).map((e) => `${where}: ${e.instancePath || '/'}: ${e.message}`));
  const entries = (data as { untestable: Untestable[] }).untestable;
  const seen = new Set<string>();
  const duplicates = entries.filter((e) => seen.size === seen.add(e.id).size).map((e) => `${where}: duplicate id ${e.id}`);
  if (duplicates.length) throw new CaseLoadError(duplicates);
  return entries;
}

/**
 * What is wrong with the list: a quote not in its seed, or a quote that is also (part of, or the whole of) a
 * quote of a requirement of the same seed. One line per problem, naming the entry.
 */
export function untestableProblems(entries: Untestable[], seeds: Map<string, string>, requirements: Iterable<Requirement>): string[] {
  // Every source of a requirement counts: a rule with a source per profile group quotes both seeds.
  const quoted = [...requirements].flatMap((r) => sourcesOf(r).flatMap((s) => quotesOf(s).map((q) => ({ id: r.id, source: s.source, text: normaliseWhitespace(q) }))));
  const problems: string[] = [];
  for (const entry of entries) {
    for (const passage of quotesOf(entry).map(normaliseWhitespace)) {
      if (!seeds.get(entry.source)?.includes(passage)) problems.push(`${entry.id}: quote not found in seed ${entry.source}: ${JSON.stringify(passage)}`);
      for (const q of quoted) if (q.source === entry.source && (q.text.includes(passage) || passage.includes(q.text))) problems.push(`${entry.id}: quote is also quoted by requirement ${q.id}: ${JSON.stringify(passage)}`);
    }
  }
  return problems;
}
