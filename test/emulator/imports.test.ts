/**
 * The emulator stands on its own: from src/ it takes types only (its facts are its own, emulator/routes.ts),
 * and its modules import each other without cycles.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EMULATOR = join(ROOT, 'emulator');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Each module's imports of other modules: the resolved file, and whether it is `import type`. */
function importsOf(file: string): Array<{ target: string; typeOnly: boolean }> {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import\s+(type\s+)?[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) => ({ target: resolve(dirname(file), m[2]), typeOnly: m[1] !== undefined }));
}

const files = sources(EMULATOR);

describe('emulator imports', () => {
  it('takes nothing but types from src/', () => {
    const values = files.flatMap((f) => importsOf(f).filter((i) => !i.typeOnly && !i.target.startsWith(EMULATOR)).map((i) => `${relative(ROOT, f)} → ${relative(ROOT, i.target)}`));
    expect(values).toEqual([]);
  });

  it('has no import cycle', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f).filter((i) => !i.typeOnly && i.target.startsWith(EMULATOR)).map((i) => i.target)]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') return void cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(ROOT, p)).join(' → '));
      state.set(f, 'open');
      for (const t of graph.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
