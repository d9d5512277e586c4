// Every schema under schemas/ compiles in AJV strict mode, follows the file conventions, and the committed
// manifest (schemas/manifest.json) is exactly what src/schemas/manifest.ts builds from them.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { SCHEMA_BASE, SCHEMAS_DIR, SchemaRegistry } from '../../src/schemas/registry.ts';
import {
  buildManifest,
  isDerived,
  MANIFEST_PATH,
  readCommittedManifest,
  readExpectedComponents,
  serializeManifest,
} from '../../src/schemas/manifest.ts';

const registry = new SchemaRegistry();
const schemas = registry.all();
const manifest = buildManifest(registry);
const manifestByKey = new Map(manifest.components.map((c) => [c.key, c]));

/** Keywords the project's conventions forbid even where AJV would accept them (or reject them less clearly). */
const FORBIDDEN_KEYWORDS = ['example', 'nullable', 'discriminator', 'x-ms-enum', 'x-nullable'];

/** Every subschema object, with its JSON pointer inside the schema (keyword names and property names alike). */
function* walk(node: unknown, pointer = ''): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* walk(item, `${pointer}/${i}`);
  } else if (node !== null && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    yield [pointer, obj];
    for (const [k, v] of Object.entries(obj)) yield* walk(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  }
}

/** Decision ids (D3, M12, …) named by an `x-decision` value: a string, or an array of strings. */
function decisionIds(value: unknown): string[] {
  const text = Array.isArray(value) ? value.join(' ') : String(value);
  return [...text.matchAll(/\b[A-Z]{1,3}\d+\b/g)].map((m) => m[0]);
}

describe('schemas compile in strict mode', () => {
  it('the whole registry compiles (compileAll)', () => {
    expect(schemas.length).toBeGreaterThan(0);
    expect(() => new SchemaRegistry().compileAll()).not.toThrow();
  });

  for (const s of schemas) {
    it(`${s.key} compiles`, () => {
      expect(() => registry.validator(s.key)).not.toThrow();
    });
  }
});

describe('schema file conventions', () => {
  for (const s of schemas) {
    it(`${s.key}: title, $id, $schema, description, no forbidden keywords`, () => {
      expect(basename(s.file, '.json')).toBe(s.title);
      expect(s.schema.title).toBe(s.title);
      expect(s.schema.$id).toBe(`${SCHEMA_BASE}${s.key}.json`);
      expect(s.schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(typeof s.schema.description).toBe('string');
      const offences: string[] = [];
      for (const [pointer, node] of walk(s.schema)) {
        // `properties` maps names to schemas: a property may be called "example"; its value is still walked.
        if (pointer.endsWith('/properties') || pointer.endsWith('/$defs') || pointer.endsWith('/patternProperties')) continue;
        for (const k of FORBIDDEN_KEYWORDS) if (k in node) offences.push(`${pointer || '/'} has "${k}"`);
        if (node.additionalProperties === false) offences.push(`${pointer || '/'} has additionalProperties: false`);
      }
      expect(offences).toEqual([]);
    });
  }

  for (const s of schemas) {
    const refs = [...walk(s.schema)].filter(([, n]) => 'x-decision' in n);
    if (refs.length === 0) continue;
    const surface = s.key.split('/')[0];
    it(`${s.key}: every x-decision names an entry of schemas/DECISIONS-${surface}.md`, () => {
      const file = join(SCHEMAS_DIR, `DECISIONS-${surface}.md`);
      expect(existsSync(file), `${file} is missing`).toBe(true);
      const text = readFileSync(file, 'utf8');
      const unknown = refs.flatMap(([pointer, n]) =>
        decisionIds(n['x-decision'])
          .filter((id) => !new RegExp(`\\b${id}\\b`).test(text))
          .map((id) => `${pointer || '/'}: ${id}`),
      );
      expect(unknown).toEqual([]);
    });
  }
});

describe('manifest', () => {
  it('schemas/manifest.json equals the manifest built from the schemas (run `node --import tsx src/schemas/manifest.ts --write`)', () => {
    expect(existsSync(MANIFEST_PATH), 'schemas/manifest.json is missing').toBe(true);
    expect(readCommittedManifest()).toEqual(manifest);
    expect(readFileSync(MANIFEST_PATH, 'utf8')).toBe(serializeManifest(manifest));
  });

  it('lists every schema exactly once', () => {
    expect(manifest.count).toBe(schemas.length);
    expect(new Set(manifest.components.map((c) => c.key)).size).toBe(schemas.length);
  });

  it('components.expected.txt has no duplicates', () => {
    const expected = readExpectedComponents();
    expect(expected.length).toBe(new Set(expected).size);
  });

  for (const key of readExpectedComponents()) {
    it(`covers required component ${key}`, () => {
      expect(manifestByKey.has(key), `${key} has no schema`).toBe(true);
    });
  }

  for (const s of schemas) {
    it(`${s.key}: derived flag and source match x-derived`, () => {
      const entry = manifestByKey.get(s.key);
      expect(entry).toBeDefined();
      expect(entry!.derived).toBe(isDerived(s.schema));
      if (isDerived(s.schema)) expect(entry!.source).toBe('derived');
      else expect(entry!.source).not.toBe('derived');
      expect(entry!.seedSection).toBe(typeof s.schema['x-seed'] === 'string' ? s.schema['x-seed'] : null);
    });
  }
});
