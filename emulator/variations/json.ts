/** Small helpers the variations share to walk and reshape JSON bodies. */
type Json = Record<string, unknown>;

export function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The body's `data` objects: images, embeddings (empty when there are none). */
export function dataOf(body: Json): Json[] {
  return Array.isArray(body.data) ? body.data.filter(isRecord) : [];
}

/** The body's `choices` objects (empty when there are none). */
export function choicesOf(body: Json): Json[] {
  return Array.isArray(body.choices) ? body.choices.filter(isRecord) : [];
}

/** A token → log-probability map (completions `top_logprobs` entries): a value, not an object with members. */
function isTokenMap(key: string | undefined, value: Json): boolean {
  return key === 'top_logprobs' && Object.values(value).every((v) => typeof v === 'number');
}

/** Calls `visit` on every JSON object in `value` (itself included), depth first, skipping token maps. */
export function eachObject(value: unknown, visit: (object: Json, key: string | undefined) => void, key?: string): void {
  if (Array.isArray(value)) {
    for (const item of value) eachObject(item, visit, key);
    return;
  }
  if (!isRecord(value) || isTokenMap(key, value)) return;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'object' && v !== null) eachObject(v, visit, k);
  visit(value, key);
}
