/**
 * Keys of a case's request body that the contract does not define. A YAML slip (an unquoted comma in a flow
 * mapping turns the rest of a message into a key) must not change a request silently, so such keys are a load
 * error unless the case lists them as sent on purpose. Lenient where the schemas are: the properties of every
 * branch of a oneOf/anyOf (and of every if/then) count, and an object whose schema names no properties, or allows additional ones
 * explicitly, takes any key.
 */
import type { OperationId, ProfileName } from '../model.ts';
import { componentsOf } from '../operations.ts';
import { PROFILE_INFO } from '../profiles.ts';
import { SCHEMA_BASE, type SchemaRegistry } from '../schemas/registry.ts';

type Schema = Record<string, unknown>;

/** A schema with the $id its relative $refs resolve against. */
interface Node {
  schema: Schema;
  base: string;
}

/** The request component of an operation in a profile, when its body is JSON or multipart fields. */
export function requestComponent(operation: OperationId, profile: ProfileName): string {
  const surface = PROFILE_INFO[profile].schemaSurface;
  return `${surface}/${componentsOf(operation, surface)!.request}`;
}

/** JSON pointers of the keys in `value` that `component` does not define. */
export function undefinedKeys(registry: SchemaRegistry, component: string, value: unknown): string[] {
  const root = registry.find(component);
  if (!root) throw new Error(`unknown request component ${component}`);
  const found: string[] = [];
  walk(registry, [{ schema: root.schema, base: root.id }], value, '', found, 0);
  return found;
}

function walk(registry: SchemaRegistry, nodes: Node[], value: unknown, pointer: string, found: string[], depth: number): void {
  if (depth > 32 || value === null || typeof value !== 'object') return;
  const leaves = nodes.flatMap((n) => flatten(registry, n, 0));
  if (Array.isArray(value)) {
    const items = leaves.flatMap((l) => (isSchema(l.schema.items) ? [{ schema: l.schema.items, base: l.base }] : []));
    if (items.length) value.forEach((v, i) => walk(registry, items, v, `${pointer}/${i}`, found, depth + 1));
    return;
  }
  const properties = new Map<string, Node[]>();
  let open = false;
  for (const leaf of leaves) {
    const { additionalProperties, patternProperties, properties: props } = leaf.schema;
    if ((additionalProperties !== undefined && additionalProperties !== false) || patternProperties !== undefined) open = true;
    if (isSchema(props)) for (const [name, sub] of Object.entries(props)) properties.set(name, [...(properties.get(name) ?? []), ...(isSchema(sub) ? [{ schema: sub, base: leaf.base }] : [])]);
  }
  // A free-form object (no properties named anywhere) takes any key: function parameters, metadata.
  if (properties.size === 0) open = true;
  for (const [key, sub] of Object.entries(value as Record<string, unknown>)) {
    const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const defined = properties.get(key);
    if (defined) walk(registry, defined, sub, at, found, depth + 1);
    else if (!open) found.push(at);
  }
}

/** Flattened schemas, by schema object (a schema's base is its file's, so the object decides the result). */
const flattened = new WeakMap<Schema, Node[]>();

/** A schema and, through $ref, allOf, anyOf, oneOf and if/then/else, every schema it combines. */
function flatten(registry: SchemaRegistry, node: Node, depth: number): Node[] {
  if (depth > 16) return [];
  const cached = flattened.get(node.schema);
  if (cached) return cached;
  const out: Node[] = [node];
  const { $ref, allOf, anyOf, oneOf, then, else: otherwise } = node.schema;
  if (typeof $ref === 'string') {
    const target = resolve(registry, $ref, node.base);
    if (target) out.push(...flatten(registry, target, depth + 1));
  }
  for (const list of [allOf, anyOf, oneOf, [then, otherwise]]) {
    if (Array.isArray(list)) for (const sub of list) if (isSchema(sub)) out.push(...flatten(registry, { schema: sub, base: node.base }, depth + 1));
  }
  flattened.set(node.schema, out);
  return out;
}

function resolve(registry: SchemaRegistry, ref: string, base: string): Node | undefined {
  const url = new URL(ref, base);
  const fragment = decodeURIComponent(url.hash.replace(/^#/, ''));
  url.hash = '';
  const file = registry.find(url.href.startsWith(SCHEMA_BASE) ? url.href : `${SCHEMA_BASE}${url.href}`);
  if (!file) return undefined;
  let schema: unknown = file.schema;
  for (const part of fragment.split('/').filter(Boolean)) schema = isSchema(schema) ? schema[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return isSchema(schema) ? { schema, base: file.id } : undefined;
}

function isSchema(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
