/**
 * The emulator's own JSON Schema validator: an AJV instance of its own over the schemas/ files, compiling only
 * the request components the emulator validates, on first use. Not the judge's registry (src/schemas/), so
 * the reference does not share the judge's machinery; the options and the issue format are the same, so the
 * error messages the emulator sends are too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule, { type FormatsPlugin } from 'ajv-formats';

// The CJS package needs a default-export shim under NodeNext (as in src/ajv.ts, deliberately not imported).
const addFormats = ((formatsModule as unknown as { default?: FormatsPlugin }).default ?? formatsModule) as FormatsPlugin;

/** The `$id` prefix of every file: `<base><surface>/<version>/<title>.json`. */
const SCHEMA_BASE = 'https://aoai-conformance.dev/schemas/';

export interface SchemaIssue {
  /** JSON pointer into the validated instance ("" is the root). */
  pointer: string;
  keyword: string;
  message: string;
}

/** schemas/ next to the package root, from emulator/ and from dist/emulator/ alike. */
function schemasDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schemas'))) return join(dir, 'schemas');
    if (dirname(dir) === dir) throw new Error('emulator: no schemas/ folder above its own');
  }
}

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

/** Every surface/version file is added (cheap: their $refs cross files); each is compiled only when validated against. */
function instance(): Ajv2020 {
  if (ajv) return ajv;
  // strict off: the files' x-… annotation keywords are the judge's business; validation results do not depend on strict.
  ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true, validateFormats: true });
  addFormats(ajv);
  const root = schemasDir();
  for (const surface of readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    for (const version of readdirSync(join(root, surface.name), { withFileTypes: true }).filter((e) => e.isDirectory())) {
      const dir = join(root, surface.name, version.name);
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) ajv.addSchema(JSON.parse(readFileSync(join(dir, file), 'utf8')) as object);
    }
  }
  return ajv;
}

/** `component` is `<surface>/<version>/<title>` or a bare title within `surface`. */
function validator(component: string, surface: string): ValidateFunction {
  const id = `${SCHEMA_BASE}${component.split('/').length >= 3 ? component : `${surface}/${component}`}.json`;
  let fn = compiled.get(id);
  if (!fn) {
    fn = instance().getSchema(id);
    if (!fn) throw new Error(`emulator: unknown schema component "${component}" in ${surface}`);
    compiled.set(id, fn);
  }
  return fn;
}

/** The ways `data` breaks `component`, one issue per distinct message (allOf/anyOf branches often repeat one). */
export function schemaIssues(component: string, data: unknown, surface: string): SchemaIssue[] {
  const fn = validator(component, surface);
  if (fn(data)) return [];
  const seen = new Set<string>();
  return (fn.errors ?? []).flatMap((e: ErrorObject) => {
    let pointer = e.instancePath;
    if (e.keyword === 'required') pointer += `/${escapePointer(String((e.params as { missingProperty: string }).missingProperty))}`;
    else if (e.keyword === 'additionalProperties') pointer += `/${escapePointer(String((e.params as { additionalProperty: string }).additionalProperty))}`;
    const message = `${pointer || '/'} ${e.message ?? e.keyword}`;
    if (seen.has(message)) return [];
    seen.add(message);
    return [{ pointer, keyword: e.keyword, message }];
  });
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
