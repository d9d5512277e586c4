/** Fault switches of embeddings. Each breaks exactly one rule. */
import type { Fault } from './types.ts';

export const FAULTS = [
  { id: 'embeddings-count-short', category: 'semantics', breaks: 'the last input gets no embedding (one item fewer than inputs)', proof: [{ case: 'embeddings-array-3', fails: 'embeddings-count' }] },
  { id: 'embeddings-index-from-one', category: 'semantics', breaks: 'embedding indexes start at 1 instead of 0', proof: [{ case: 'embeddings-array-3', warns: 'embeddings-indexes' }] },
  {
    id: 'embeddings-data-reversed',
    category: 'semantics',
    breaks: 'embeddings are listed in reverse input order (indexes still correct)',
    proof: [{ case: 'embeddings-array-3', warns: 'embeddings-order' }],
  },
  {
    id: 'embeddings-item-object-wrong',
    category: 'semantics',
    breaks: 'embedding items have `object` "embeddings" instead of "embedding"',
    proof: [{ case: 'embeddings-string', warns: 'embeddings-item-object' }],
  },
  {
    id: 'embeddings-dimensions-ignored',
    category: 'semantics',
    breaks: '`dimensions` is ignored: vectors always have the native 1536 values',
    proof: [{ case: 'embeddings-dimensions-256', fails: 'embeddings-dimensions' }],
  },
  {
    id: 'embeddings-base64-ignored',
    category: 'semantics',
    breaks: '`encoding_format: base64` is ignored: embeddings come back as float arrays',
    proof: [{ case: 'embeddings-encoding-base64', fails: 'embeddings-encoding' }],
  },
  {
    id: 'embeddings-base64-truncated',
    category: 'semantics',
    breaks: 'base64 embeddings lose their last byte, so they no longer hold whole float32 values',
    proof: [{ case: 'embeddings-encoding-base64', warns: 'embeddings-base64' }],
  },
  {
    id: 'embeddings-usage-missing',
    category: 'schema',
    breaks: 'the embeddings response omits the required `usage`',
    proof: [{ case: 'embeddings-encoding-float', fails: 'schema' }],
    alter: {
      operations: ['embeddings'],
      apply: (body) => {
        delete body.usage;
      },
    },
  },
] as const satisfies readonly Fault[];
