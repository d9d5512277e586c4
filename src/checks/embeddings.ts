/** Checks specific to embeddings. Each check: one rule, a name, an args schema; see ./types.ts. */
import { type CheckDefinition, type CheckOutcome, fail, isRecord, noArgs, pass, verdict } from './types.ts';

/**
 * How many inputs a request's `input` holds: a string, or one token array (an array of numbers), is one
 * input; an array of strings or of token arrays is one input per element.
 */
export function inputCount(input: unknown): number | undefined {
  if (typeof input === 'string') return 1;
  if (!Array.isArray(input)) return undefined;
  if (input.length > 0 && input.every((t) => typeof t === 'number')) return 1;
  return input.length;
}

/**
 * Strict base64 (RFC 4648 §4, padded): what every client's decoder accepts. Line breaks are tolerated, as
 * MIME-style encoders add them and decoders skip them; anything else outside the alphabet is not.
 */
export function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/\r?\n/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

function itemsOf(json: unknown): unknown[] | undefined {
  return isRecord(json) && Array.isArray(json.data) ? json.data : undefined;
}

function field(item: unknown, name: string): unknown {
  return isRecord(item) ? item[name] : undefined;
}

/** A list for a message or a report: long ones (2048 indexes) are cut to their start. */
function brief(list: unknown[]): string {
  return list.length <= 12 ? JSON.stringify(list) : `${JSON.stringify(list.slice(0, 10)).slice(0, -1)}, … (${list.length} in all)]`;
}

/** Findings several embeddings checks may see (CheckOutcome.findings): each is reported once per case. */
const NO_EMBEDDINGS = 'embeddings: none at all';
const WRONG_ENCODING = 'embeddings: not in the requested encoding';

const noData = (expected: unknown): CheckOutcome => ({ ...fail(expected, '(no data array)', 'the response has no `data` array'), findings: [NO_EMBEDDINGS] });
/** An empty `data` gives a per-item rule nothing to judge: embeddings-count reports it. */
const noItems = (expected: unknown): CheckOutcome => ({ ...fail(expected, '[]', 'the response holds no embeddings to judge'), findings: [NO_EMBEDDINGS] });

export const embeddingsCount: CheckDefinition = {
  name: 'embeddings-count',
  requirement: 'AOAI-EMBEDDINGS-COUNT',
  category: 'semantics',
  description: 'Counts the items of `data` against the inputs of the request: one for a string or a token array, one per element of an array of strings or token arrays.',
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const expected = inputCount(isRecord(requestBody) ? requestBody.input : undefined);
    if (expected === undefined) return { ok: 'error', expected: 'a request with input', actual: requestBody, message: 'the case sent no countable input' };
    const items = itemsOf(response.json);
    if (!items) return noData(`${expected} embeddings`);
    const outcome = verdict(items.length === expected, expected, items.length, `${items.length} embeddings for ${expected} inputs`);
    return items.length === 0 ? { ...outcome, findings: [NO_EMBEDDINGS] } : outcome;
  },
};

export const embeddingsIndexes: CheckDefinition = {
  name: 'embeddings-indexes',
  requirement: 'AOAI-EMBEDDINGS-INDEXES',
  category: 'semantics',
  description: "Collects the `index` of every embedding and compares the set with the positions 0..n-1 of the request's inputs.",
  needsJson: true,
  args: noArgs,
  run({ response }) {
    const items = itemsOf(response.json);
    if (!items) return noData('indexes 0..n-1');
    if (items.length === 0) return noItems('indexes 0..n-1');
    const indexes = items.map((item) => field(item, 'index'));
    const sorted = [...indexes].sort((a, b) => Number(a) - Number(b));
    const expected = `each of 0..${items.length - 1} once`;
    return sorted.every((v, i) => v === i) ? pass(expected, brief(indexes)) : fail(expected, brief(indexes), `embedding indexes are ${brief(indexes)}, expected each of 0..${items.length - 1} once`);
  },
};

export const embeddingsOrder: CheckDefinition = {
  name: 'embeddings-order',
  requirement: 'AOAI-EMBEDDINGS-ORDER',
  category: 'semantics',
  description: 'Reads the `index` of each `data` item in the order the items are listed, the order a client that reads `data` by position relies on.',
  needsJson: true,
  args: noArgs,
  run({ response }) {
    const items = itemsOf(response.json);
    if (!items) return noData('indexes in ascending order');
    if (items.length === 0) return noItems('indexes in ascending order');
    const indexes = items.map((item) => field(item, 'index'));
    const ascending = indexes.every((v, i) => typeof v === 'number' && (i === 0 || v > Number(indexes[i - 1])));
    return verdict(ascending, 'ascending indexes', brief(indexes), `embeddings are listed in the order ${brief(indexes)}, not by input position`);
  },
};

export const embeddingsItemObject: CheckDefinition = {
  name: 'embeddings-item-object',
  requirement: 'AOAI-EMBEDDINGS-OBJECT',
  category: 'semantics',
  description: 'Reads the `object` of every item of `data`.',
  needsJson: true,
  args: noArgs,
  run({ response }) {
    const items = itemsOf(response.json);
    if (!items) return noData('object "embedding" on every item');
    if (items.length === 0) return noItems('object "embedding" on every item');
    const wrong = [...new Set(items.map((item) => field(item, 'object')).filter((o) => o !== 'embedding'))];
    return verdict(wrong.length === 0, 'embedding', wrong.length ? wrong : 'embedding', `embedding items have object ${wrong.map((o) => JSON.stringify(o)).join(', ')}, expected "embedding"`);
  },
};

/** Values in one embedding: the array's length, or the whole float32 values its base64 holds. */
function vectorLength(embedding: unknown): number | undefined {
  if (Array.isArray(embedding)) return embedding.length;
  if (typeof embedding !== 'string') return undefined;
  const bytes = decodeBase64(embedding);
  return bytes && bytes.length % 4 === 0 ? bytes.length / 4 : undefined;
}

export const embeddingsDimensions: CheckDefinition = {
  name: 'embeddings-dimensions',
  requirement: 'AOAI-EMBEDDINGS-DIMENSIONS',
  category: 'semantics',
  description: 'Measures every vector (a float array, or decoded base64 float32): all of one non-zero length, compared with `dimensions` when the request set it.',
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const items = itemsOf(response.json);
    const requested = isRecord(requestBody) && typeof requestBody.dimensions === 'number' ? requestBody.dimensions : undefined;
    const expected = requested === undefined ? 'one non-zero length for every vector' : `${requested} values in every vector`;
    if (!items) return noData(expected);
    if (items.length === 0) return noItems(expected);
    const lengths = items.map((item) => vectorLength(field(item, 'embedding')));
    const unreadable = lengths.findIndex((l) => l === undefined);
    if (unreadable >= 0) return fail(expected, field(items[unreadable], 'embedding') === undefined ? '(no embedding)' : 'an unreadable embedding', `the length of data[${unreadable}].embedding cannot be read (neither a number array nor base64 of whole float32 values)`);
    const distinct = [...new Set(lengths)];
    if (distinct.length > 1) return fail(expected, brief(lengths), `vectors have different lengths: ${brief(distinct)}`);
    if (distinct[0] === 0) return fail(expected, 0, 'the vectors are empty');
    if (requested !== undefined && distinct[0] !== requested) return fail(expected, distinct[0], `vectors have ${distinct[0]} values, but the request asked for dimensions = ${requested}`);
    return pass(expected, `${distinct[0]} values in each of ${items.length} vectors`);
  },
};

export const embeddingsEncoding: CheckDefinition = {
  name: 'embeddings-encoding',
  requirement: 'AOAI-EMBEDDINGS-ENCODING',
  category: 'semantics',
  description: "Reads the type of every `embedding` against the request's `encoding_format`: an array of numbers for float (the default), a string for base64.",
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const base64 = isRecord(requestBody) && requestBody.encoding_format === 'base64';
    const expected = base64 ? 'a base64 string per embedding' : 'an array of numbers per embedding';
    const items = itemsOf(response.json);
    if (!items) return noData(expected);
    if (items.length === 0) return noItems(expected);
    const wrong = items.findIndex((item) => {
      const e = field(item, 'embedding');
      return base64 ? typeof e !== 'string' : !(Array.isArray(e) && e.every((v) => typeof v === 'number'));
    });
    if (wrong < 0) return pass(expected, `${items.length} embedding(s) in that form`);
    const e = field(items[wrong], 'embedding');
    const actual = Array.isArray(e) ? 'an array' : e === undefined ? '(absent)' : typeof e;
    return { ...fail(expected, actual, `data[${wrong}].embedding is ${actual} for encoding_format ${base64 ? 'base64' : 'float'}`), findings: [WRONG_ENCODING] };
  },
};

export const embeddingsBase64: CheckDefinition = {
  name: 'embeddings-base64',
  requirement: 'AOAI-EMBEDDINGS-BASE64',
  category: 'semantics',
  description: 'Decodes every string `embedding` as strict padded standard base64 and reads the bytes as little-endian float32: a whole number of 4-byte values, each finite.',
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const items = itemsOf(response.json);
    if (!items) return noData('base64 of float32 values');
    if (items.length === 0) return noItems('base64 of float32 values');
    const encoded = items.map((item, i) => ({ i, e: field(item, 'embedding') })).filter((x): x is { i: number; e: string } => typeof x.e === 'string');
    const asked = isRecord(requestBody) && requestBody.encoding_format === 'base64';
    if (encoded.length === 0 && !asked) return pass('base64 of float32 values', 'no base64 embedding in the response', 'base64 was not asked for: no embedding to decode');
    // Asked for base64 but given none: nothing decodes, which is embeddings-encoding's finding.
    if (encoded.length === 0) return { ...fail('base64 of float32 values', 'no base64 embedding', 'base64 was asked for but no embedding is a base64 string'), findings: [WRONG_ENCODING] };
    for (const { i, e } of encoded) {
      const bytes = decodeBase64(e);
      if (!bytes) return fail('padded standard base64', e.slice(0, 40), `data[${i}].embedding is not valid base64`);
      if (bytes.length === 0 || bytes.length % 4 !== 0) return fail('a non-zero multiple of 4 bytes (float32 values)', `${bytes.length} bytes`, `data[${i}].embedding decodes to ${bytes.length} bytes, not a whole number of float32 values`);
      for (let at = 0; at < bytes.length; at += 4) {
        const v = bytes.readFloatLE(at);
        if (!Number.isFinite(v)) return fail('finite float32 values', String(v), `data[${i}].embedding holds ${v} at value ${at / 4}`);
      }
    }
    return pass('base64 of float32 values', `${encoded.length} embedding(s) decode to finite float32 values`);
  },
};

export const CHECKS: CheckDefinition[] = [embeddingsCount, embeddingsIndexes, embeddingsOrder, embeddingsItemObject, embeddingsDimensions, embeddingsEncoding, embeddingsBase64];
