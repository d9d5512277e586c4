/** Fault switches of image generation. Each breaks exactly one rule. */
import type { Fault } from './types.ts';

export const FAULTS = [
  { id: 'images-data-empty', category: 'semantics', breaks: 'image generation answers 200 with an empty `data` array (no image for n = 1)', proof: [{ case: 'images-n-1', fails: 'images-count' }] },
  {
    id: 'images-response-format-ignored',
    category: 'semantics',
    breaks: '`response_format: b64_json` is ignored: images always come back as `url`',
    proof: [{ case: 'images-b64-json', fails: 'images-response-format' }],
  },
  { id: 'images-url-relative', category: 'semantics', breaks: 'image `url` is a relative path instead of an absolute URL', proof: [{ case: 'images-response-format-url', fails: 'images-url' }] },
  { id: 'images-url-dead', category: 'semantics', breaks: 'image `url` points to a file the server does not have (404)', proof: [{ case: 'images-minimal', warns: 'images-url-download' }] },
  {
    id: 'images-b64-data-url',
    category: 'semantics',
    breaks: '`b64_json` is a data: URL ("data:image/png;base64,…") instead of plain base64',
    proof: [{ case: 'images-size-1792x1024', fails: 'images-b64-image' }],
  },
  { id: 'images-png-crc-broken', category: 'semantics', breaks: 'the PNG\'s IHDR chunk carries a wrong CRC-32', proof: [{ case: 'images-b64-json', warns: 'images-png' }] },
  { id: 'images-size-ignored', category: 'semantics', breaks: '`size` is ignored: every image is 1024x1024', proof: [{ case: 'images-size-1024x1792', fails: 'images-size' }] },
  {
    id: 'images-enums-unchecked',
    category: 'bounds',
    breaks: 'undocumented size, quality, style and response_format values are accepted (200)',
    proof: [{ case: 'images-size-invalid', fails: 'status-class' }],
  },
] as const satisfies readonly Fault[];
