/**
 * The layout docs name only paths that exist: every backticked path in docs/architecture.md and docs/cases.md, the
 * paths in their diagrams, and their links. `<name>` and `*` are placeholders (`emulator/<operation>.ts`), `**` any
 * depth; a bare file name (`options.ts`) must exist somewhere in the project.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.ts';

const DOCS = ['docs/architecture.md', 'docs/cases.md'];
const SKIPPED = new Set(['node_modules', '.git', 'dist']);
/** Generated output at the project's root, not part of its layout. */
const SKIPPED_AT_ROOT = new Set(['reports', 'conformance-report', 'allure-results', 'allure-report']);
const FILE_NAME = /^[\w.*<>-]+\.(ts|js|mjs|json|md|yaml|txt)$/;

/** Every file and folder of the project (folders with a trailing slash), relative to its root. */
function entries(dir = PACKAGE_ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !SKIPPED.has(e.name) && !(dir === PACKAGE_ROOT && SKIPPED_AT_ROOT.has(e.name)))
    .flatMap((e) => {
      const path = relative(PACKAGE_ROOT, join(dir, e.name));
      return e.isDirectory() ? [`${path}/`, ...entries(join(dir, e.name))] : [path];
    });
}

const ALL = entries();
const TOP = new Set(ALL.filter((p) => !p.slice(0, -1).includes('/')).map((p) => p.replace(/\/$/, '')));

function pattern(path: string): RegExp {
  const source = path
    .split(/(\*\*\/|\*|<[^>]+>)/)
    .map((part) => (part === '**/' ? '(?:[^/]+/)*' : part === '*' || part.startsWith('<') ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

function exists(path: string): boolean {
  const re = pattern(path);
  if (path.includes('/')) return ALL.some((p) => re.test(p) || re.test(p.replace(/\/$/, '')));
  return ALL.some((p) => re.test(p.split('/').filter(Boolean).at(-1) ?? ''));
}

/** The words of a doc that name a project path. */
function namedPaths(doc: string): string[] {
  const text = readFileSync(join(PACKAGE_ROOT, doc), 'utf8');
  const words = new Set<string>();
  const isPath = (w: string) => (w.includes('/') ? TOP.has(w.split('/')[0]) : FILE_NAME.test(w));
  for (const [, code] of text.matchAll(/`([^`\n]+)`/g)) for (const w of code.split(/[\s,()]+/)) if (isPath(w)) words.add(w);
  for (const [, block] of text.matchAll(/```\n([\s\S]*?)```/g)) for (const w of block.split(/[\s,()]+/)) if (w.includes('/') && isPath(w)) words.add(w.replace(/[:;]$/, ''));
  return [...words];
}

/** Relative link targets, resolved from the doc's folder. */
function linkedPaths(doc: string): string[] {
  const text = readFileSync(join(PACKAGE_ROOT, doc), 'utf8');
  return [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/.test(t)).map((t) => relative(PACKAGE_ROOT, join(PACKAGE_ROOT, dirname(doc), t)));
}

describe('the layout docs', () => {
  it.each(DOCS)('%s names only paths that exist', (doc) => {
    const named = namedPaths(doc);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((p) => !exists(p))).toEqual([]);
  });

  it.each(DOCS)('%s links only files that exist', (doc) => {
    expect(linkedPaths(doc).filter((p) => !exists(p))).toEqual([]);
  });

  it('would notice a path that does not exist', () => {
    expect(exists('src/engine.ts')).toBe(false);
    expect(exists('emulator/<operation>.ts')).toBe(true);
    expect(exists('cases/**/*.yaml')).toBe(true);
    expect(exists('no-such-file.ts')).toBe(false);
  });
});
