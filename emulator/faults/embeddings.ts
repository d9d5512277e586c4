/** Fault switches of embeddings. Each breaks exactly one rule. */
import type { Fault } from './types.ts';

export const FAULTS = [
  { id: 'embeddings-count-short', category: 'semantics', breaks: 'the last input gets no embedding (one item fewer than inputs)' },
  { id: 'embeddings-index-from-one', category: 'semantics', breaks: 'embedding indexes start at 1 instead of 0' },
  { id: 'embeddings-data-reversed', category: 'semantics', breaks: 'embeddings are listed in reverse input order (indexes still correct)' },
  { id: 'embeddings-item-object-wrong', category: 'semantics', breaks: 'embedding items have `object` "embeddings" instead of "embedding"' },
  { id: 'embeddings-dimensions-ignored', category: 'semantics', breaks: '`dimensions` is ignored: vectors always have the native 1536 values' },
  { id: 'embeddings-base64-ignored', category: 'semantics', breaks: '`encoding_format: base64` is ignored: embeddings come back as float arrays' },
  { id: 'embeddings-base64-truncated', category: 'semantics', breaks: 'base64 embeddings lose their last byte, so they no longer hold whole float32 values' },
  { id: 'embeddings-usage-missing', category: 'schema', breaks: 'the embeddings response omits the required `usage`' },
] as const satisfies readonly Fault[];
