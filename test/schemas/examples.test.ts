// Validates every example of the seed documents (test/fixtures/seed-examples/) and of the official reference files
// (test/fixtures/reference-examples/) against the component it exemplifies, as listed in each directory's index.json.
// An entry with expectValid: false must be rejected and must give a reason that cites a documented decision.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { describe, it, expect } from 'vitest';
import { SCHEMAS_DIR, SchemaRegistry } from '../../src/schemas/registry.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const INDEXES = ['seed-examples', 'reference-examples'];

interface ExampleEntry {
  file: string;
  source: string;
  section: string;
  kind: 'request' | 'response' | 'fragment';
  status?: number;
  /** `surface/version/title` */
  component: string;
  /** JSON pointer of the instance inside the file (default: the whole file). */
  pointer?: string;
  /** For a fragment that is a property value, not a component: validate `in` with the fragment set at `at`. */
  embed?: { in: Record<string, unknown>; at: string };
  expectValid: boolean;
  /** For a rejected example: exactly the instance locations the validator must name (the documented defect, nothing else). */
  rejectedAt?: string[];
  reason?: string;
}

/** Keywords whose issue only aggregates the issues of their subschemas. */
const AGGREGATE_KEYWORDS = new Set(['anyOf', 'oneOf', 'allOf', 'if', 'not']);

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`bad JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function at(value: unknown, pointer: string): unknown {
  let node = value;
  for (const token of decodePointer(pointer)) {
    if (node === null || typeof node !== 'object' || !(token in (node as object))) throw new Error(`nothing at ${pointer}`);
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

function setAt(target: Record<string, unknown>, pointer: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(target);
  const tokens = decodePointer(pointer);
  const last = tokens.pop();
  if (last === undefined) throw new Error('embed.at must not be the root');
  (at(copy, tokens.length ? `/${tokens.join('/')}` : '') as Record<string, unknown>)[last] = value;
  return copy;
}

function load(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  return /\.ya?ml$/.test(file) ? parseYaml(text) : JSON.parse(text);
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

/**
 * A reason must cite where it is documented: `DECISIONS-<name>.md <ID>` (schemas/) or `SOURCES.md <ID>` (the
 * fixtures directory). Returns the citations that do not resolve to an existing id in an existing file.
 */
function unresolvedCitations(reason: string, indexDir: string): { citations: number; unresolved: string[] } {
  const unresolved: string[] = [];
  let citations = 0;
  for (const m of reason.matchAll(/\b((?:DECISIONS-[\w-]+|SOURCES)\.md)\s+((?:[A-Z]{1,3}\d+)(?:\s*(?:,|and|&)\s*[A-Z]{1,3}\d+)*)/g)) {
    const file = m[1].startsWith('DECISIONS-') ? join(SCHEMAS_DIR, m[1]) : join(indexDir, m[1]);
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    for (const id of m[2].match(/[A-Z]{1,3}\d+/g) ?? []) {
      citations += 1;
      if (!new RegExp(`\\b${id}\\b`).test(text)) unresolved.push(`${m[1]} ${id}`);
    }
  }
  return { citations, unresolved };
}

const registry = SchemaRegistry.shared();

for (const name of INDEXES) {
  const dir = join(FIXTURES, name);
  const indexFile = join(dir, 'index.json');
  const entries = JSON.parse(readFileSync(indexFile, 'utf8')) as ExampleEntry[];

  describe(`${name}/index.json`, () => {
    it('indexes every example file in the directory, and only existing files', () => {
      const listed = new Set(entries.map((e) => resolve(dir, e.file)));
      const present = listFiles(dir).filter((f) => !/(^|[/\\])(index\.json|SOURCES\.md)$/.test(f));
      expect(present.filter((f) => !listed.has(f)).map((f) => relative(dir, f).split(sep).join('/'))).toEqual([]);
      expect([...listed].filter((f) => !existsSync(f)).map((f) => relative(dir, f))).toEqual([]);
      expect(existsSync(join(dir, 'SOURCES.md'))).toBe(true);
    });

    for (const e of entries) {
      const label = `${e.file}${e.pointer ? `#${e.pointer}` : ''}${e.embed ? ` (as ${e.embed.at})` : ''} → ${e.component} [${e.section}]`;
      it(`${e.expectValid ? 'valid' : 'rejected'}: ${label}`, () => {
        const fragment = at(load(join(dir, e.file)), e.pointer ?? '');
        const instance = e.embed ? setAt(e.embed.in, e.embed.at, fragment) : fragment;
        const outcome = registry.validate(e.component, instance);
        if (e.expectValid) {
          expect(outcome.issues).toEqual([]);
          expect(outcome.valid).toBe(true);
        } else {
          expect(outcome.valid, 'expected the example to be rejected').toBe(false);
          expect(Array.isArray(e.rejectedAt), 'a rejected example lists rejectedAt').toBe(true);
          const named = [...new Set(outcome.issues.filter((i) => !AGGREGATE_KEYWORDS.has(i.keyword)).map((i) => i.pointer))].sort();
          expect(named, 'rejected for another reason than the documented one').toEqual([...new Set(e.rejectedAt)].sort());
          expect(typeof e.reason === 'string' && e.reason.length > 0, 'an example that does not validate needs a reason').toBe(true);
          const { citations, unresolved } = unresolvedCitations(e.reason!, dirname(indexFile));
          expect(citations, 'the reason must cite DECISIONS-<surface>.md <id> or SOURCES.md <id>').toBeGreaterThan(0);
          expect(unresolved).toEqual([]);
        }
      });
    }
  });
}
