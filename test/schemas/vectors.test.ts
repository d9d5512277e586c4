// Runs every schema test vector under test/fixtures/schema-vectors/<surface>/<version>/<title>.json:
// valid vectors must validate; invalid ones must be rejected, naming the vector's JSON pointer when it gives one.
// Then checks coverage: every component in the manifest has a vector file with at least one valid and one invalid test.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { SchemaRegistry } from '../../src/schemas/registry.ts';
import { buildManifest } from '../../src/schemas/manifest.ts';

const VECTORS_DIR = fileURLToPath(new URL('../fixtures/schema-vectors/', import.meta.url));

interface Vector {
  description: string;
  data: unknown;
  valid: boolean;
  pointer?: string;
}

interface VectorFile {
  component: string;
  tests: Vector[];
}

function listJson(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listJson(full));
    else if (entry.name.endsWith('.json')) out.push(full);
  }
  return out.sort();
}

const registry = SchemaRegistry.shared();
const files = listJson(VECTORS_DIR).map((file) => {
  const rel = relative(VECTORS_DIR, file).split(sep).join('/');
  const key = rel.replace(/\.json$/, ''); // <surface>/<version>/<title>
  return { file, rel, key, parsed: JSON.parse(readFileSync(file, 'utf8')) as VectorFile };
});

describe('vector files', () => {
  for (const f of files) {
    it(`${f.rel} is well-formed`, () => {
      expect(f.key.split('/')).toHaveLength(3);
      expect(f.parsed.component).toBe(basename(f.file, '.json'));
      expect(Array.isArray(f.parsed.tests)).toBe(true);
      for (const t of f.parsed.tests) {
        expect(typeof t.description).toBe('string');
        expect(typeof t.valid).toBe('boolean');
        expect('data' in t).toBe(true);
        if (t.pointer !== undefined) expect(t.pointer).toMatch(/^(\/.*)?$/);
      }
    });
  }
});

for (const f of files) {
  describe(f.key, () => {
    for (const [i, t] of (f.parsed.tests ?? []).entries()) {
      it(`#${i} ${t.valid ? 'valid' : 'invalid'}: ${t.description}`, () => {
        const outcome = registry.validate(f.key, t.data);
        if (t.valid) {
          expect(outcome.issues).toEqual([]);
          expect(outcome.valid).toBe(true);
        } else {
          expect(outcome.valid).toBe(false);
          if (t.pointer !== undefined) {
            const pointers = outcome.issues.map((issue) => issue.pointer);
            expect(pointers, `no issue at "${t.pointer}"`).toContain(t.pointer);
          }
        }
      });
    }
  });
}

describe('every manifest component has vectors (≥1 valid, ≥1 invalid)', () => {
  const byKey = new Map(files.map((f) => [f.key, f.parsed]));
  for (const c of buildManifest(registry).components) {
    it(c.key, () => {
      const v = byKey.get(c.key);
      expect(v, `missing test/fixtures/schema-vectors/${c.key}.json`).toBeDefined();
      expect(v!.tests.filter((t) => t.valid).length, 'no valid vector').toBeGreaterThanOrEqual(1);
      expect(v!.tests.filter((t) => !t.valid).length, 'no invalid vector').toBeGreaterThanOrEqual(1);
    });
  }
});
