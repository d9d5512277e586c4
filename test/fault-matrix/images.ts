/** Fault-matrix rows for image generation (see ./types.ts). */
import type { FaultRow } from './types.ts';

export const ROWS: FaultRow[] = [
  { fault: 'images-data-empty', case: 'images-n-1', check: 'images-count', status: 'fail' },
  { fault: 'images-response-format-ignored', case: 'images-b64-json', check: 'images-response-format', status: 'fail' },
  { fault: 'images-url-relative', case: 'images-response-format-url', check: 'images-url', status: 'fail' },
  { fault: 'images-url-dead', case: 'images-minimal', check: 'images-url-download', status: 'warning' },
  { fault: 'images-b64-data-url', case: 'images-size-1792x1024', check: 'images-b64-image', status: 'fail' },
  { fault: 'images-png-crc-broken', case: 'images-b64-json', check: 'images-png', status: 'warning' },
  { fault: 'images-size-ignored', case: 'images-size-1024x1792', check: 'images-size', status: 'fail' },
  { fault: 'images-enums-unchecked', case: 'images-size-invalid', check: 'status-class', status: 'fail' },
];
