/** Fault-matrix rows for embeddings (see ./types.ts). */
import type { FaultRow } from './types.ts';

export const ROWS: FaultRow[] = [
  { fault: 'embeddings-count-short', case: 'embeddings-array-3', check: 'embeddings-count', status: 'fail' },
  { fault: 'embeddings-index-from-one', case: 'embeddings-array-3', check: 'embeddings-indexes', status: 'warning' },
  { fault: 'embeddings-data-reversed', case: 'embeddings-array-3', check: 'embeddings-order', status: 'warning' },
  { fault: 'embeddings-item-object-wrong', case: 'embeddings-string', check: 'embeddings-item-object', status: 'warning' },
  { fault: 'embeddings-dimensions-ignored', case: 'embeddings-dimensions-256', check: 'embeddings-dimensions', status: 'fail' },
  { fault: 'embeddings-base64-ignored', case: 'embeddings-encoding-base64', check: 'embeddings-encoding', status: 'fail' },
  { fault: 'embeddings-base64-truncated', case: 'embeddings-encoding-base64', check: 'embeddings-base64', status: 'warning' },
  { fault: 'embeddings-usage-missing', case: 'embeddings-encoding-float', check: 'schema', status: 'fail' },
];
