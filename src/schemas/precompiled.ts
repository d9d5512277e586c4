/**
 * The registry's validators generated at build time (AJV standalone code, dist/schema-validators.cjs), so a run
 * does not generate and compile them again: that took about 0.15 s of every run's judging, in the worker that
 * runs the cases. The code is AJV's own for the same options and schemas, so verdicts and messages are the same.
 * Used only from the compiled package, and only while the digest of the schema files it was made from matches
 * the files the registry loaded; otherwise the registry compiles as before.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';

/** Beside the compiled modules only (dist/schema-validators.cjs): CommonJS, as AJV's standalone code requires its runtime. */
const STORED = fileURLToPath(new URL('../../schema-validators.cjs', import.meta.url));

export type Precompiled = Map<string, ValidateFunction>;

/** What the validators are made from: each schema file's key and text, in order. */
export function schemasDigest(files: Iterable<{ key: string; text: string }>): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(f.key).update('\0').update(f.text).update('\0');
  return hash.digest('hex');
}

/** The stored validators by `$id`, if this is the compiled package and they were made from these files. */
export function loadPrecompiled(digest: string): Precompiled | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  let stored: { digest?: string; validators?: Record<string, ValidateFunction> };
  try {
    stored = createRequire(import.meta.url)(STORED) as typeof stored;
  } catch {
    return undefined;
  }
  if (stored.digest !== digest || !stored.validators) return undefined;
  return new Map(Object.entries(stored.validators));
}

/** Called by the build, from dist/: generates every schema's validator and stores them with their digest. */
export async function storePrecompiled(): Promise<void> {
  const { SchemaRegistry } = await import('./registry.ts');
  const { _ } = await import('ajv/dist/2020.js');
  const standalone = (await import('ajv/dist/standalone/index.js')) as unknown as { default: (ajv: unknown, refs: Record<string, string>) => string };
  // The generated code requires ajv-formats' formats itself, as the registry's AJV has them (ajv-formats' full mode).
  const registry = new SchemaRegistry(undefined, { code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` } });
  const refs = Object.fromEntries(registry.all().map((s) => [s.id, s.id]));
  const code = standalone.default(registry.ajv, refs);
  // AJV's module assigns `exports[id]`; it is wrapped so that the digest sits beside the validators.
  writeFileSync(STORED, `"use strict";\nexports.digest = ${JSON.stringify(registry.digest)};\nexports.validators = (function (exports) {\n${code}\nreturn exports;\n})({});\n`);
}
