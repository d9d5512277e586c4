/**
 * Rewrites the cases to use the expectation presets (cases/presets.yaml): wherever a case's expect: spells out a
 * preset's entries verbatim and in order (same arguments, same key order, same requirement), the run of lines
 * becomes `- { preset: <name> }`. Text edits only, so comments, anchors and layout stay as they are; a run
 * written any other way is left alone. Idempotent. test/cases/expanded.test.ts proves the judged cases unchanged.
 * Run: node bin/run-ts.js scripts/apply-presets.ts [--dry-run]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { FIXTURES_DIR, PRESETS_FILE, REQUIREMENTS_DIR } from '../src/cases/load.ts';
import { CASES_DIR } from '../src/paths.ts';

const ENTRY_LINE = /^(\s*)- (\{ check: .*\})\s*$/;

interface Preset {
  name: string;
  entries: string[];
}

function caseFiles(dir: string): string[] {
  const skip = new Set([join(CASES_DIR, REQUIREMENTS_DIR), join(CASES_DIR, FIXTURES_DIR), join(CASES_DIR, 'seeds'), join(CASES_DIR, PRESETS_FILE)]);
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (skip.has(full)) return [];
    if (e.isDirectory()) return caseFiles(full);
    return /\.ya?ml$/.test(e.name) ? [full] : [];
  }).sort();
}

/** The presets, longest first, so that a longer run is not cut short by a shorter preset it starts with. */
function presets(): Preset[] {
  const data = parse(readFileSync(join(CASES_DIR, PRESETS_FILE), 'utf8')) as { presets: Record<string, { expect: unknown[] }> };
  return Object.entries(data.presets)
    .map(([name, p]) => ({ name, entries: p.expect.map((e) => JSON.stringify(e)) }))
    .sort((a, b) => b.entries.length - a.entries.length);
}

/** A line's check entry (as JSON, key order kept) and indent, when the line is a one-line entry. */
function entryOf(line: string): { indent: string; json: string } | undefined {
  const m = ENTRY_LINE.exec(line);
  return m ? { indent: m[1], json: JSON.stringify(parse(m[2])) } : undefined;
}

export function applyPresets(text: string, list: Preset[]): { text: string; uses: Map<string, number> } {
  const lines = text.split('\n');
  const out: string[] = [];
  const uses = new Map<string, number>();
  for (let i = 0; i < lines.length; ) {
    const first = entryOf(lines[i]);
    const match = first && list.find((p) => p.entries.every((json, k) => {
      const e = i + k < lines.length ? entryOf(lines[i + k]) : undefined;
      return e !== undefined && e.indent === first.indent && e.json === json;
    }));
    if (first && match) {
      out.push(`${first.indent}- { preset: ${match.name} }`);
      uses.set(match.name, (uses.get(match.name) ?? 0) + 1);
      i += match.entries.length;
    } else {
      out.push(lines[i]);
      i += 1;
    }
  }
  return { text: out.join('\n'), uses };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dryRun = process.argv.includes('--dry-run');
  const list = presets();
  const total = new Map<string, number>();
  for (const file of caseFiles(CASES_DIR)) {
    const before = readFileSync(file, 'utf8');
    const { text, uses } = applyPresets(before, list);
    if (text === before) continue;
    if (!dryRun) writeFileSync(file, text);
    for (const [name, n] of uses) total.set(name, (total.get(name) ?? 0) + n);
    console.log(`${relative(CASES_DIR, file)}: ${[...uses].map(([name, n]) => `${name} ×${n}`).join(', ')}`);
  }
  console.log(`${dryRun ? 'would write' : 'wrote'}: ${[...total].map(([name, n]) => `${name} ×${n}`).join(', ') || 'nothing to change'}`);
}
