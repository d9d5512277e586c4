/** POST …/images.generations: not implemented yet (answers 501 so no case can pass by accident). */
import type { OperationHandler } from './types.ts';

export const imagesHandler: OperationHandler = {
  operation: 'images.generations',
  bodyKind: 'json',
  requestSchema: () => 'imageGenerationsRequest',
  handle: (ctx) => ctx.error(501, 'NotImplemented', 'the emulator does not implement images.generations yet'),
};
