/** Checks specific to image generation. Each check: one rule, a name, an args schema; see ./types.ts. */
import { type Dispatcher, fetch, type Response } from 'undici';
import { decodeBase64 } from './embeddings.ts';
import { type CheckDefinition, type CheckOutcome, fail, isRecord, noArgs, pass, verdict } from './types.ts';

/** The documented default of `size` (seed 003 imageGenerationsRequest). */
const DEFAULT_SIZE = '1024x1024';
/** Bounds on downloading one image URL (a real service's SAS link to a PNG of a few MB). */
const DOWNLOAD_TIMEOUT_MS = 30_000;
const SNIFF_BYTES = 64;

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image format named by the first bytes, if any of the formats image services send. */
export function imageFormat(bytes: Buffer): ImageFormat | undefined {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.toString('latin1', 0, 6))) return 'gif';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return undefined;
}

/** Pixel size from the image's own header (PNG IHDR, JPEG SOFn, GIF screen descriptor, WebP VP8/VP8L/VP8X). */
export function imageDimensions(bytes: Buffer): { width: number; height: number } | undefined {
  try {
    switch (imageFormat(bytes)) {
      case 'png':
        return bytes.toString('latin1', 12, 16) === 'IHDR' ? { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) } : undefined;
      case 'gif':
        return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
      case 'webp':
        return webpDimensions(bytes);
      case 'jpeg':
        return jpegDimensions(bytes);
      default:
        return undefined;
    }
  } catch {
    return undefined; // a header cut short
  }
}

function webpDimensions(b: Buffer): { width: number; height: number } | undefined {
  const chunk = b.toString('latin1', 12, 16);
  if (chunk === 'VP8 ') return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = b.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
  return undefined;
}

const JPEG_SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpegDimensions(b: Buffer): { width: number; height: number } | undefined {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      at += 2; // markers without a length
      continue;
    }
    if (JPEG_SOF.has(marker)) return { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
    at += 2 + b.readUInt16BE(at + 2);
  }
  return undefined;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as PNG defines it. Written here, apart from the emulator's encoder, so each checks the other. */
export function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Why `bytes` is not a well-formed PNG (signature, IHDR first, chunk lengths and CRCs, IEND last), or undefined. */
export function pngProblem(bytes: Buffer): string | undefined {
  if (imageFormat(bytes) !== 'png') return 'it does not start with the PNG signature';
  let at = 8;
  let index = 0;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) return `chunk ${index} is cut short at byte ${at}`;
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) return `chunk ${index} has an invalid type ${JSON.stringify(type)}`;
    if (at + 12 + length > bytes.length) return `chunk ${type} claims ${length} bytes, more than remain`;
    if (index === 0 && (type !== 'IHDR' || length !== 13)) return `the first chunk is ${type} (${length} bytes), not a 13-byte IHDR`;
    if (index === 0 && (bytes.readUInt32BE(at + 8) === 0 || bytes.readUInt32BE(at + 12) === 0)) return 'IHDR declares a zero width or height';
    const crc = bytes.readUInt32BE(at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== crc) return `chunk ${type} has a wrong CRC-32`;
    at += 12 + length;
    index++;
    if (type === 'IEND') return at === bytes.length ? undefined : `${bytes.length - at} bytes follow IEND`;
  }
  return 'there is no IEND chunk';
}

function itemsOf(json: unknown): unknown[] | undefined {
  return isRecord(json) && Array.isArray(json.data) ? json.data : undefined;
}

/** Items carrying a string in `name` (url or b64_json), with their position in `data`. */
function stringsOf(json: unknown, name: string): Array<{ i: number; value: string }> {
  return (itemsOf(json) ?? []).flatMap((item, i) => (isRecord(item) && typeof item[name] === 'string' ? [{ i, value: item[name] as string }] : []));
}

/** A URL for messages and reports without its query: image links are signed (SAS) and the signature is a secret. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return url.length > 120 ? `${url.slice(0, 120)}…` : url;
  }
}

function isAbsoluteHttp(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** Findings several image checks may see (CheckOutcome.findings): each is reported once per case. */
const NO_IMAGES = 'images: none at all';
const WRONG_FORM = 'images: not in the requested response_format';
const RELATIVE_URL = 'images: a url that is not absolute';

const noData = (expected: unknown): CheckOutcome => ({ ...fail(expected, '(no data array)', 'the response has no `data` array'), findings: [NO_IMAGES] });

function wantedForm(requestBody: unknown): 'url' | 'b64_json' {
  return isRecord(requestBody) && requestBody.response_format === 'b64_json' ? 'b64_json' : 'url';
}

/**
 * Why a check of images in `form` has none to judge: no images at all (images-count's finding), or the other form
 * although this one was asked for (images-response-format's). Undefined when the request asked for the other form.
 */
function noneInForm(json: unknown, requestBody: unknown, form: 'url' | 'b64_json', expected: unknown): CheckOutcome | undefined {
  const items = itemsOf(json);
  if (!items) return noData(expected);
  if (items.length === 0) return { ...fail(expected, '[]', 'the response holds no images to judge'), findings: [NO_IMAGES] };
  if (wantedForm(requestBody) !== form) return undefined;
  return { ...fail(expected, `no ${form} in the response`, `response_format ${form} was asked for but no image carries a ${form}`), findings: [WRONG_FORM] };
}

/** A pass for a check of the form the request did not ask for. */
const otherForm = (expected: unknown, form: string) => pass(expected, `no ${form} in the response`, `${form} was not asked for: nothing to judge`);

export const imagesCount: CheckDefinition = {
  name: 'images-count',
  requirement: 'AOAI-IMAGES-N',
  category: 'semantics',
  description: "Counts the images in `data` against the request's `n` (default 1).",
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const n = isRecord(requestBody) && typeof requestBody.n === 'number' ? requestBody.n : 1;
    const items = itemsOf(response.json);
    if (!items) return noData(`${n} image(s)`);
    const outcome = verdict(items.length === n, n, items.length, `${items.length} image(s) in data for n = ${n}`);
    return items.length === 0 ? { ...outcome, findings: [NO_IMAGES] } : outcome;
  },
};

export const imagesResponseFormat: CheckDefinition = {
  name: 'images-response-format',
  requirement: 'AOAI-IMAGES-RESPONSE-FORMAT',
  category: 'semantics',
  description: 'Reads each `data` item for the member `response_format` names (`url` by default, `b64_json`) and whether it is a non-empty string.',
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const wanted = wantedForm(requestBody);
    const items = itemsOf(response.json);
    if (!items) return noData(`a ${wanted} per image`);
    if (items.length === 0) return { ...fail(`a ${wanted} per image`, '[]', 'the response holds no images'), findings: [NO_IMAGES] };
    const missing = items.findIndex((item) => !(isRecord(item) && typeof item[wanted] === 'string' && item[wanted] !== ''));
    if (missing < 0) return pass(`a ${wanted} per image`, `${items.length} image(s) with ${wanted}`);
    const item = items[missing];
    const present = isRecord(item) ? Object.keys(item).filter((k) => k === 'url' || k === 'b64_json') : [];
    return { ...fail(`a ${wanted} per image`, present.length ? `data[${missing}] has ${present.join(', ')}` : `data[${missing}] has neither url nor b64_json`, `data[${missing}] has no non-empty ${wanted} for response_format ${wanted}`), findings: [WRONG_FORM] };
  },
};

export const imagesUrl: CheckDefinition = {
  name: 'images-url',
  requirement: 'AOAI-IMAGES-URL',
  category: 'semantics',
  description: 'Parses every `data[].url` as a URL and looks at its scheme (http or https); a relative path does not parse.',
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const urls = stringsOf(response.json, 'url');
    if (urls.length === 0) return noneInForm(response.json, requestBody, 'url', 'absolute http(s) URLs') ?? otherForm('absolute http(s) URLs', 'url');
    const bad = urls.find((u) => !isAbsoluteHttp(u.value));
    if (!bad) return pass('absolute http(s) URLs', urls.map((u) => shown(u.value)));
    return { ...fail('an absolute http(s) URL', shown(bad.value), `data[${bad.i}].url ${JSON.stringify(shown(bad.value))} is not an absolute http(s) URL`), findings: [RELATIVE_URL] };
  },
};

/** Downloads the start of an image URL, without credentials (a signed link needs none, and a key must never leave for another host). */
const MAX_REDIRECTS = 5;

async function sniff(first: string, allowed: (url: string) => boolean, dispatcher?: Dispatcher): Promise<CheckOutcome | Buffer> {
  let res: Response;
  let url = first;
  try {
    // Redirects are followed by hand, so that none leads to a host the user did not allow.
    for (let hops = 0; ; hops++) {
      // undici's fetch, through the run's dispatcher: the same proxy, CA file and certificate checking as the cases.
      res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS), ...(dispatcher ? { dispatcher } : {}) });
      const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
      if (!location || hops >= MAX_REDIRECTS) break;
      await res.body?.cancel();
      url = new URL(location, url).toString();
      if (!allowed(url)) return { ok: 'not-evaluated', expected: 'the image downloads', actual: shown(url), message: `not checked: ${shown(first)} redirects to ${shown(url)}, which is not on the target's origin; --follow-external-urls lets the check follow it` };
    }
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    return fail('the image downloads', `no response: ${cause}`, `downloading ${shown(url)} failed: ${cause}`);
  }
  if (res.status < 200 || res.status > 299) {
    await res.body?.cancel();
    return fail('HTTP 2xx and an image', `HTTP ${res.status}`, `downloading ${shown(url)} answered HTTP ${res.status}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  try {
    while (reader && size < SNIFF_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
      size += value.length;
    }
  } catch (err) {
    return fail('the image downloads', `body error: ${(err as Error).message}`, `reading ${shown(url)} failed: ${(err as Error).message}`);
  } finally {
    await reader?.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks);
}

export const imagesUrlDownload: CheckDefinition = {
  name: 'images-url-download',
  requirement: 'AOAI-IMAGES-URL-DOWNLOAD',
  category: 'semantics',
  description: 'Downloads the start of every absolute image `url` (no credentials sent) and reads the status (2xx) and the first bytes for a PNG, JPEG, GIF or WebP signature.',
  needsJson: true,
  args: noArgs,
  async run({ response, requestBody, network }) {
    const all = stringsOf(response.json, 'url');
    if (all.length === 0) return noneInForm(response.json, requestBody, 'url', 'downloadable images') ?? otherForm('downloadable images', 'url');
    const urls = all.filter((u) => isAbsoluteHttp(u.value));
    // A url that cannot be downloaded because it is relative is images-url's finding.
    if (urls.length < all.length) return { ...fail('downloadable images', 'a url that is not absolute', 'an image url is not absolute, so it cannot be downloaded'), findings: [RELATIVE_URL] };
    // Nothing leaves for another host unless the user said so: a URL elsewhere is not downloaded, and the check says why.
    const allowed = (url: string) => !network || network.followExternalUrls || new URL(url).origin === network.origin;
    const elsewhere = urls.find((u) => !allowed(u.value));
    if (elsewhere) {
      return { ok: 'not-evaluated', expected: 'downloadable images', actual: shown(elsewhere.value), message: `not checked: ${shown(elsewhere.value)} is not on the target's origin (${network!.origin}); --follow-external-urls (or followExternalUrls: true in the target config) lets the check download it` };
    }
    const formats: string[] = [];
    for (const { value } of urls) {
      const got = await sniff(value, allowed, network?.dispatcher);
      if (!Buffer.isBuffer(got)) return got;
      const format = imageFormat(got);
      if (!format) return fail('image bytes (PNG, JPEG, GIF or WebP)', got.subarray(0, 16).toString('hex'), `${shown(value)} does not hold an image: it starts with ${got.subarray(0, 16).toString('hex') || 'nothing'}`);
      formats.push(format);
    }
    return pass('downloadable images', formats);
  },
};

/** The decoded `b64_json` images, or the outcome explaining why one does not decode. */
function decodedImages(json: unknown): Array<{ i: number; bytes: Buffer }> | CheckOutcome {
  const out: Array<{ i: number; bytes: Buffer }> = [];
  for (const { i, value } of stringsOf(json, 'b64_json')) {
    const bytes = decodeBase64(value);
    if (!bytes || bytes.length === 0) return fail('padded standard base64', `${value.slice(0, 40)}…`, `data[${i}].b64_json is not plain base64${value.startsWith('data:') ? ' (it is a data: URL)' : ''}`);
    out.push({ i, bytes });
  }
  return out;
}

export const imagesB64Image: CheckDefinition = {
  name: 'images-b64-image',
  requirement: 'AOAI-IMAGES-B64',
  category: 'semantics',
  description: 'Decodes every `b64_json` as padded standard base64 and reads the first bytes for a PNG, JPEG, GIF or WebP signature.',
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const images = decodedImages(response.json);
    if (!Array.isArray(images)) return images;
    if (images.length === 0) return noneInForm(response.json, requestBody, 'b64_json', 'base64 images') ?? otherForm('base64 images', 'b64_json');
    const formats: string[] = [];
    for (const { i, bytes } of images) {
      const format = imageFormat(bytes);
      if (!format) return fail('base64 of an image (PNG, JPEG, GIF or WebP)', bytes.subarray(0, 16).toString('hex'), `data[${i}].b64_json decodes to bytes that are not an image`);
      formats.push(format);
    }
    return pass('base64 images', formats);
  },
};

export const imagesPng: CheckDefinition = {
  name: 'images-png',
  requirement: 'AOAI-IMAGES-PNG',
  category: 'semantics',
  description: 'Decodes every `b64_json` image and walks its PNG structure: the signature, a 13-byte IHDR first, the CRC-32 of every chunk, IEND last.',
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const images = decodedImages(response.json);
    if (!Array.isArray(images)) return images;
    if (images.length === 0) return noneInForm(response.json, requestBody, 'b64_json', 'PNG images') ?? otherForm('PNG images', 'b64_json');
    for (const { i, bytes } of images) {
      const problem = pngProblem(bytes);
      if (problem) return fail('a well-formed PNG', problem, `data[${i}].b64_json is not a well-formed PNG: ${problem}`);
    }
    return pass('PNG images', `${images.length} well-formed PNG(s)`);
  },
};

export const imagesSize: CheckDefinition = {
  name: 'images-size',
  requirement: 'AOAI-IMAGES-SIZE-PIXELS',
  category: 'semantics',
  description: "Reads the width and height of every `b64_json` image from its own header and compares them with the request's `size` (default 1024x1024).",
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const size = isRecord(requestBody) && typeof requestBody.size === 'string' ? requestBody.size : DEFAULT_SIZE;
    const images = decodedImages(response.json);
    if (!Array.isArray(images)) return images;
    if (images.length === 0) return noneInForm(response.json, requestBody, 'b64_json', size) ?? otherForm(size, 'b64_json');
    for (const { i, bytes } of images) {
      const dims = imageDimensions(bytes);
      if (!dims) return fail(size, 'unreadable', `the pixel size of data[${i}].b64_json cannot be read from its header`);
      const actual = `${dims.width}x${dims.height}`;
      if (actual !== size) return fail(size, actual, `data[${i}] is ${actual} pixels, but the request asked for ${size}`);
    }
    return pass(size, `${images.length} image(s) of ${size}`);
  },
};

export const CHECKS: CheckDefinition[] = [imagesCount, imagesResponseFormat, imagesUrl, imagesUrlDownload, imagesB64Image, imagesPng, imagesSize];
