/**
 * POST …/images/generations: a deterministic dall-e-3. Each image is a real PNG of the requested size: a
 * grid of flat colour cells seeded by a hash of the request (finer with `quality: hd`, muted with
 * `style: natural`), returned as a URL the emulator itself serves (`response_format: url`, the default)
 * or inline as base64 (`b64_json`), with `revised_prompt` and, in Azure profiles, the DALL-E content
 * filter annotations of seed 003's example.
 *
 * The handler validates the body itself (no server `requestSchema`) so that invalid requests are answered
 * with this operation's documented error body, dalleErrorResponse, rather than the generic errorResponse.
 */
import { createHash } from 'node:crypto';
import { choiceFilterResults } from './content-filter.ts';
import { schemaProblem } from './embeddings.ts';
import { Memo } from './memo.ts';
import { encodePng } from './png.ts';
import type { EmulatorReply, HandlerContext, OperationHandler } from './types.ts';

const DEFAULT_SIZE = '1024x1024';
/** Largest side the emulator renders (only reachable with a fault that lets undocumented sizes through). */
const MAX_SIDE = 4096;
/** Most images drawn for one request (only reachable with a fault that lets n above 1 through). */
const MAX_IMAGES = 10;

export interface ImageRequest {
  prompt: string;
  n?: number;
  size?: string;
  quality?: string;
  style?: string;
  response_format?: string;
  user?: string;
}

function parseSize(size: string | undefined): { width: number; height: number } {
  const m = /^(\d{1,5})x(\d{1,5})$/.exec(size ?? DEFAULT_SIZE);
  const width = m ? Number(m[1]) : 1024;
  const height = m ? Number(m[2]) : 1024;
  return width >= 1 && height >= 1 && width <= MAX_SIDE && height <= MAX_SIDE ? { width, height } : { width: 1024, height: 1024 };
}

/** The picture for one request and image index: flat colour cells, so each run of rows is one shared buffer. */
export function renderImage(req: ImageRequest, index: number, opts: { corruptHeaderCrc?: boolean; ignoreSize?: boolean } = {}): Buffer {
  const { width, height } = opts.ignoreSize ? parseSize(DEFAULT_SIZE) : parseSize(req.size);
  const cellsOnShortSide = req.quality === 'hd' ? 16 : 8;
  const cell = Math.ceil(Math.min(width, height) / cellsOnShortSide);
  const across = Math.ceil(width / cell);
  const down = Math.ceil(height / cell);
  const seed = JSON.stringify([req.prompt, req.size ?? DEFAULT_SIZE, req.quality ?? 'standard', req.style ?? 'vivid', index]);
  const colours = hashBytes(seed, across * down * 3);
  const muted = req.style === 'natural';
  const rows = Array.from({ length: down }, (_, cy) => {
    const row = Buffer.alloc(width * 3);
    for (let x = 0; x < width; x++) {
      const at = (cy * across + Math.floor(x / cell)) * 3;
      for (let ch = 0; ch < 3; ch++) row[x * 3 + ch] = muted ? 64 + (colours[at + ch] >> 1) : colours[at + ch];
    }
    return row;
  });
  return encodePng(width, height, (y) => rows[Math.floor(y / cell)], { corruptHeaderCrc: opts.corruptHeaderCrc });
}

/** `length` deterministic bytes from a seed (SHA-256 in counter mode). */
function hashBytes(seed: string, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 32 < length; i++) blocks.push(createHash('sha256').update(`${seed}\u0000${i}`).digest());
  return Buffer.concat(blocks).subarray(0, length);
}

/** What dall-e-3 reports it drew: the prompt, restated with the style and quality that shaped it. */
function revisePrompt(req: ImageRequest): string {
  return `A ${req.style ?? 'vivid'}, ${req.quality === 'hd' ? 'high-definition' : 'standard-quality'} image: ${req.prompt.trim()}`;
}

/** Azure's per-image annotations: the prompt's filter results (with profanity and jailbreak) and the image's. */
function filterAnnotations() {
  const categories = choiceFilterResults();
  return {
    prompt_filter_results: { ...categories, profanity: { filtered: false, detected: false }, jailbreak: { filtered: false, detected: false } },
    content_filter_results: categories,
  };
}

/**
 * A dalleErrorResponse for an invalid request. The status (and any fault of the shared error layer) comes
 * from the server's own invalid-request reply; the body is rebuilt as a dalleError.
 */
function dalleInvalid(ctx: HandlerContext, message: string, param?: string): EmulatorReply {
  const generic = ctx.invalid(message, param);
  const error = typeof generic.body === 'object' && generic.body !== null && 'error' in generic.body ? (generic.body as { error: unknown }).error : undefined;
  if (typeof error !== 'object' || error === null) return generic; // a shared-layer fault already changed the shape
  const { code, message: text } = error as { code?: unknown; message?: unknown };
  return { ...generic, body: { error: { code: code ?? 'invalid_request_error', message: text, param: param ?? null, type: 'invalid_request_error' } } };
}

/** Encoded images by what shapes them (16 MiB at most). */
const pngs = new Memo<Buffer>(16 * 1024 * 1024, (png) => png.length);

export function generateImages(ctx: HandlerContext): EmulatorReply {
  const { faults } = ctx;
  const problem = schemaProblem(ctx, 'imageGenerationsRequest', ctx.body, (issue) => faults.has('images-enums-unchecked') && issue.keyword === 'enum');
  if (problem) return dalleInvalid(ctx, problem.message, problem.param);
  // A prompt can only be missing here under the required-unchecked fault: the emulator then draws an empty one.
  const req = { ...ctx.body, prompt: typeof ctx.body.prompt === 'string' ? ctx.body.prompt : '' } as ImageRequest;

  const wantsB64 = req.response_format === 'b64_json' && !faults.has('images-response-format-ignored');
  const count = faults.has('images-data-empty') ? 0 : Math.min(req.n ?? 1, MAX_IMAGES);
  const data = Array.from({ length: count }, (_, i) => {
    const opts = { corruptHeaderCrc: faults.has('images-png-crc-broken'), ignoreSize: faults.has('images-size-ignored') };
    const png = pngs.get(JSON.stringify([req.prompt, req.size, req.quality, req.style, i, opts]), () => renderImage(req, i, opts));
    let image: Record<string, string>;
    if (wantsB64) {
      image = { b64_json: `${faults.has('images-b64-data-url') ? 'data:image/png;base64,' : ''}${png.toString('base64')}` };
    } else {
      // An unknown file id answers 404, as an expired link would.
      const url = `${ctx.publish(png, 'image/png')}${faults.has('images-url-dead') ? '-expired' : ''}`;
      image = { url: faults.has('images-url-relative') ? new URL(url).pathname : url };
    }
    return { ...image, revised_prompt: revisePrompt(req), ...(ctx.profile === 'openai' ? {} : filterAnnotations()) };
  });
  return { status: 200, body: { created: Math.floor(Date.now() / 1000), data } };
}

export const imagesHandler: OperationHandler = {
  operation: 'images.generations',
  bodyKind: 'json',
  // No requestSchema: generateImages validates against imageGenerationsRequest itself (see above).
  handle: generateImages,
};
