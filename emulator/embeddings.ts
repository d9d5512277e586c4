/**
 * POST …/embeddings: a deterministic embedding model. Each input gets a hash-seeded, unit-length vector
 * (1536 values, as text-embedding-3-small), cut to `dimensions` and re-normalised when asked, returned as
 * numbers or as base64 of little-endian float32 (`encoding_format`).
 *
 * The handler validates the body itself instead of through the server's `requestSchema`: 2024-06-01
 * documents `input` as a string or an array of strings, but OpenAI (and real Azure deployments) also take
 * token arrays, which the emulator accepts as an extension (cases that send them are MAY).
 */
import { createHash } from 'node:crypto';
import type { EmulatorReply, HandlerContext, OperationHandler } from './types.ts';
import { Memo } from './memo.ts';
import { countTokens } from './text.ts';
import type { SchemaIssue } from './schemas.ts';
import { type RequestProblem, requestProblem } from './validation.ts';

/** Vector length when `dimensions` is not given (and the most it may ask for). */
export const NATIVE_DIMENSIONS = 1536;

/**
 * The first way `body` breaks `component`, for handlers that validate themselves; the shared validation
 * faults apply exactly as in the server's own validation.
 */
export function schemaProblem(ctx: HandlerContext, component: string, body: unknown, alsoIgnore?: (issue: SchemaIssue) => boolean): RequestProblem | undefined {
  return requestProblem(component, body, ctx.profile, ctx.faults, alsoIgnore);
}

type Inputs = { kind: 'text'; items: string[] } | { kind: 'tokens'; items: number[][] };

const isTokenArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((t) => Number.isInteger(t));

/**
 * Reads `input` and the form the schema should see: token arrays are shown to the schema as placeholder
 * strings, so that its other rules (the 1..2048 items bound) still apply to them.
 */
function readInput(input: unknown): { inputs?: Inputs; schemaView: unknown } {
  if (typeof input === 'string') return { inputs: { kind: 'text', items: [input] }, schemaView: input };
  if (!Array.isArray(input)) return { schemaView: input };
  if (input.length > 0 && isTokenArray(input)) return { inputs: { kind: 'tokens', items: [input] }, schemaView: 'tokens' };
  if (input.length > 0 && input.every(isTokenArray)) return { inputs: { kind: 'tokens', items: input }, schemaView: input.map(() => 'tokens') };
  if (input.every((s) => typeof s === 'string')) return { inputs: { kind: 'text', items: input as string[] }, schemaView: input };
  return { schemaView: input };
}

/** xoshiro128** seeded from a hash: a fast, well-mixed stream of uint32 for one vector. */
function prng(seed: Buffer): () => number {
  let [a, b, c, d] = [seed.readUInt32LE(0), seed.readUInt32LE(4), seed.readUInt32LE(8), seed.readUInt32LE(12)];
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * The embedding of one input: the same input (and input_type) always gives the same vector, and a
 * shorter `dimensions` gives the re-normalised prefix of the full vector (as text-embedding-3 does).
 * Values are float32, so the float and base64 forms of a vector carry exactly the same numbers.
 */
export function embed(key: string, dimensions: number): Float32Array {
  return vectors.get(`${dimensions}\u0000${key}`, () => computeEmbedding(key, dimensions));
}

/** Vectors by input and length (4 Mi floats, 16 MiB, at most). */
const vectors = new Memo<Float32Array>(4 * 1024 * 1024, (v) => v.length);

function computeEmbedding(key: string, dimensions: number): Float32Array {
  const next = prng(createHash('sha256').update(key).digest());
  const full = Array.from({ length: NATIVE_DIMENSIONS }, () => next() / 0x80000000 - 1);
  const cut = full.slice(0, dimensions);
  const norm = Math.hypot(...cut) || 1;
  return Float32Array.from(cut, (v) => v / norm);
}

export function toBase64(vector: Float32Array, dropLastByte = false): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return (dropLastByte ? bytes.subarray(0, bytes.length - 1) : bytes).toString('base64');
}

function inputKey(inputs: Inputs, i: number, inputType: unknown): string {
  const what = inputs.kind === 'text' ? `text:${inputs.items[i]}` : `tokens:${inputs.items[i].join(',')}`;
  return `${typeof inputType === 'string' ? inputType : ''}\u0000${what}`;
}

export function createEmbeddings(ctx: HandlerContext): EmulatorReply {
  const { body, faults } = ctx;
  const { inputs: read, schemaView } = readInput(body.input);
  const problem = schemaProblem(ctx, 'createEmbeddingRequest', read?.kind === 'tokens' ? { ...body, input: schemaView } : body);
  if (problem) return ctx.invalid(problem.message, problem.param);

  let inputs = read;
  if (!inputs) {
    // Only a missing or null input gets here (the schema rejects every other shape).
    if (!faults.has('required-unchecked')) return ctx.invalid(body.input === null ? "'input' must not be null" : "'input' is a required property", 'input');
    inputs = { kind: 'text', items: [] };
  }
  if (inputs.kind === 'tokens') {
    const bad = inputs.items.findIndex((tokens) => tokens.length === 0 || tokens.some((t) => t < 0 || t > 0x7fffffff));
    if (bad >= 0) return ctx.invalid(`input[${bad}] must be a non-empty array of token ids (non-negative integers)`, 'input');
  }

  const requested = body.dimensions;
  if (typeof requested === 'number' && (requested < 1 || requested > NATIVE_DIMENSIONS)) {
    return ctx.invalid(`dimensions must be between 1 and ${NATIVE_DIMENSIONS} for this model, got ${requested}`, 'dimensions');
  }
  const dimensions = typeof requested === 'number' && !faults.has('embeddings-dimensions-ignored') ? requested : NATIVE_DIMENSIONS;
  const base64 = body.encoding_format === 'base64' && !faults.has('embeddings-base64-ignored');

  let data = inputs.items.map((_, i) => {
    const vector = embed(inputKey(inputs, i, body.input_type), dimensions);
    return {
      object: faults.has('embeddings-item-object-wrong') ? 'embeddings' : 'embedding',
      index: faults.has('embeddings-index-from-one') ? i + 1 : i,
      embedding: base64 ? toBase64(vector, faults.has('embeddings-base64-truncated')) : Array.from(vector),
    };
  });
  if (faults.has('embeddings-count-short')) data = data.slice(0, -1);
  if (faults.has('embeddings-data-reversed')) data = data.reverse();

  const promptTokens = inputs.kind === 'text' ? inputs.items.reduce((sum, text) => sum + countTokens(text), 0) : inputs.items.reduce((sum, tokens) => sum + tokens.length, 0);
  const reply: Record<string, unknown> = { object: 'list', data, model: ctx.model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } };
  return { status: 200, body: reply };
}

export const embeddingsHandler: OperationHandler = {
  operation: 'embeddings',
  bodyKind: 'json',
  // No requestSchema: createEmbeddings validates against createEmbeddingRequest itself (token arrays, see above).
  handle: createEmbeddings,
};
