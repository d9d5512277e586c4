/**
 * One AJV registry for every JSON Schema under `schemas/`, built once per process.
 *
 * Layout: `schemas/<surface>/<version>/<title>.json`, each file's `$id` is
 * `${SCHEMA_BASE}<surface>/<version>/<title>.json`, so relative `$ref`s ("error.json",
 * "../../model-inference/2024-04-01-preview/Detail.json") resolve across files.
 * Schemas are read eagerly (cheap) and compiled lazily on first use (AJV caches them); in the compiled package
 * the build's standalone validators (./precompiled.ts) stand in for compiling, and AJV is not even set up.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import { type Ajv2020, createAjv } from '../ajv.ts';
import { SCHEMAS_DIR } from '../paths.ts';
import { loadPrecompiled, type Precompiled, schemasDigest } from './precompiled.ts';

export const SCHEMA_BASE = 'https://aoai-conformance.dev/schemas/';
export { SCHEMAS_DIR };
/** The surface a bare component title is looked up in when none is given. */
export const DEFAULT_SURFACE = 'azure-openai/2024-06-01';
/** Annotation keywords the project's schemas may carry; strict mode rejects any other unknown keyword. */
export const ANNOTATION_KEYWORDS = ['x-derived', 'x-seed', 'x-decision', 'x-source', 'x-wire-name'] as const;

export interface ValidationIssue {
  /** JSON pointer into the validated instance ("" is the root). */
  pointer: string;
  keyword: string;
  message: string;
}

export interface ValidationOutcome {
  valid: boolean;
  issues: ValidationIssue[];
}

export interface LoadedSchema {
  id: string;
  /** `<surface>/<version>/<title>` */
  key: string;
  title: string;
  file: string;
  schema: Record<string, unknown>;
}

/** Surface directories hold component schemas; anything else under schemas/ (manifest, decisions) is not a schema. */
function listSchemaFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSchemaFiles(full));
    else if (entry.name.endsWith('.json') && relative(SCHEMAS_DIR, full).split(sep).length >= 3) out.push(full);
  }
  return out.sort();
}

/** The registry's AJV options; the build's standalone validators are generated with the same. */
export const REGISTRY_OPTIONS: Options = { strict: true, allErrors: true, allowUnionTypes: true, validateFormats: true };

export class SchemaRegistry {
  private static instance: SchemaRegistry | undefined;
  private ajvInstance: Ajv2020 | undefined;
  private readonly byKey = new Map<string, LoadedSchema>();
  private readonly compiled = new Map<string, ValidateFunction>();
  /** The build's validators, when they were made from exactly these files (only SCHEMAS_DIR, compiled package). */
  private readonly precompiled: Precompiled | undefined;
  /** The digest of the files loaded (what ./precompiled.ts compares). */
  readonly digest: string;

  /** True when validators come from the build's standalone code rather than being compiled here. */
  get usesStoredValidators(): boolean {
    return this.precompiled !== undefined;
  }

  /** The process-wide registry (schemas added once, each compiled at most once). */
  static shared(): SchemaRegistry {
    SchemaRegistry.instance ??= new SchemaRegistry();
    return SchemaRegistry.instance;
  }

  /** `extraOptions` are the build's (standalone code generation); a registry given any never uses stored validators. */
  constructor(
    dir: string = SCHEMAS_DIR,
    private readonly extraOptions?: Options,
  ) {
    const texts: Array<{ key: string; text: string }> = [];
    for (const file of listSchemaFiles(dir)) {
      const text = readFileSync(file, 'utf8');
      const schema = JSON.parse(text) as Record<string, unknown>;
      const key = relative(dir, file).split(sep).join('/').replace(/\.json$/, '');
      const id = `${SCHEMA_BASE}${key}.json`;
      if (schema.$id !== id) throw new Error(`${file}: $id must be ${id}, found ${String(schema.$id)}`);
      const title = String(schema.title ?? '');
      if (!key.endsWith(`/${title}`)) throw new Error(`${file}: title "${title}" must match the file name`);
      this.byKey.set(key, { id, key, title, file, schema });
      texts.push({ key, text });
    }
    this.digest = schemasDigest(texts);
    this.precompiled = dir === SCHEMAS_DIR && !extraOptions ? loadPrecompiled(this.digest) : undefined;
  }

  /** AJV with every schema added, set up on first need (adding validates each schema against its meta-schema). */
  get ajv(): Ajv2020 {
    if (this.ajvInstance) return this.ajvInstance;
    const ajv = createAjv({ ...REGISTRY_OPTIONS, ...this.extraOptions });
    for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword, schemaType: ['string', 'boolean', 'object', 'array'] });
    for (const s of this.byKey.values()) ajv.addSchema(s.schema);
    this.ajvInstance = ajv;
    return ajv;
  }

  all(): LoadedSchema[] {
    return [...this.byKey.values()];
  }

  /**
   * Finds a schema by `<surface>/<version>/<title>`, by `$id`, or by bare title within `surface`
   * (default azure-openai/2024-06-01). Titles are case-sensitive: `CompletionUsage` (Model Inference)
   * and `completionUsage` (Azure OpenAI) are different components.
   */
  find(ref: string, surface: string = DEFAULT_SURFACE): LoadedSchema | undefined {
    if (ref.startsWith(SCHEMA_BASE)) return this.byKey.get(ref.slice(SCHEMA_BASE.length).replace(/\.json$/, ''));
    return this.byKey.get(ref) ?? this.byKey.get(`${surface}/${ref}`);
  }

  validator(ref: string, surface?: string): ValidateFunction {
    const found = this.find(ref, surface);
    if (!found) throw new Error(`unknown schema component "${ref}"${surface ? ` in ${surface}` : ''}`);
    let fn = this.compiled.get(found.id);
    if (!fn) {
      fn = this.precompiled?.get(found.id) ?? this.ajv.getSchema(found.id);
      if (!fn) throw new Error(`schema ${found.id} did not compile`);
      this.compiled.set(found.id, fn);
    }
    return fn;
  }

  validate(ref: string, data: unknown, surface?: string): ValidationOutcome {
    const fn = this.validator(ref, surface);
    const valid = fn(data) as boolean;
    return { valid, issues: valid ? [] : toIssues(fn.errors ?? []) };
  }

  /** Compiles every schema now (used by tests and the compile benchmark). */
  compileAll(): void {
    for (const s of this.byKey.values()) this.validator(s.key);
  }
}

/**
 * One issue per distinct message: allOf/anyOf branches often report the same fault twice. The emulator keeps a copy
 * of this (emulator/schemas.ts) on purpose: it shares no machinery with the judge, only the issue format.
 */
function toIssues(errors: ErrorObject[]): ValidationIssue[] {
  const seen = new Set<string>();
  return errors.flatMap((e) => {
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
