/** POST …/embeddings: not implemented yet (answers 501 so no case can pass by accident). */
import type { OperationHandler } from './types.ts';

export const embeddingsHandler: OperationHandler = {
  operation: 'embeddings',
  bodyKind: 'json',
  requestSchema: () => 'createEmbeddingRequest',
  handle: (ctx) => ctx.error(501, 'NotImplemented', 'the emulator does not implement embeddings yet'),
};
