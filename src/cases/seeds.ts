/**
 * The seed documents (cases/seeds/, see SOURCES.md) and the rule that ties the catalogue to them: every MUST that a
 * seed states quotes the seed's own words, and every quote is found, verbatim, in the seed it names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Requirement } from '../model.ts';
import { CASES_DIR } from '../paths.ts';
import { sourcesOf } from '../requirements.ts';

/** The seed files by the `source` value requirements name them with. */
export const SEED_FILES: Readonly<Record<string, string>> = {
  '003': '003_e8a7bb187ddd3a58.txt',
  '000': '000_8642d800dea9dfed.txt',
};

export const SEEDS_DIR = join(CASES_DIR, 'seeds');

/** Runs of whitespace (spaces, tabs, line breaks) count as one space; quotes may span the file's line breaks. */
export function normaliseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Each seed's text, whitespace-normalised, by source. */
export function loadSeeds(dir: string = SEEDS_DIR): Map<string, string> {
  return new Map(Object.entries(SEED_FILES).map(([source, file]) => [source, normaliseWhitespace(readFileSync(join(dir, file), 'utf8'))]));
}

export function quotesOf(r: Pick<Requirement, 'quote'>): string[] {
  return r.quote === undefined ? [] : ([] as string[]).concat(r.quote);
}

/** What is wrong with the catalogue's quotes: one line per problem, naming the requirement (and the source, where it has several). */
export function quoteProblems(requirements: Iterable<Requirement>, seeds: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const r of requirements) {
    // The rules hold per source: each profile group's level rests on its own document's words.
    for (const s of sourcesOf(r)) {
      const name = r.sources?.length ? `${r.id} (${s.profiles.join(', ')})` : r.id;
      const quotes = quotesOf(s);
      if (s.level === 'MUST' && s.source !== 'http' && quotes.length === 0) problems.push(`${name}: a MUST without a quote of the seed that makes it one`);
      if (s.level === 'MUST' && !(s.source in SEED_FILES) && s.source !== 'http') problems.push(`${name}: a MUST whose source is ${s.source}, not a seed`);
      if (s.level !== 'MUST' && quotes.length === 0 && !s.basis?.length) problems.push(`${name}: a ${s.level} that names neither a quote nor what it rests on (basis)`);
      if (quotes.length === 0) continue;
      const seed = seeds.get(s.source);
      if (seed === undefined) {
        problems.push(`${name}: quotes seed "${s.source}", which is not a seed file`);
        continue;
      }
      for (const q of quotes) if (!seed.includes(normaliseWhitespace(q))) problems.push(`${name}: quote not found in seed ${s.source}: ${JSON.stringify(q)}`);
    }
  }
  return problems;
}
