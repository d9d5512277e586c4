/** POST …/completions: not implemented yet (answers 501 so no case can pass by accident). */
import type { OperationHandler } from './types.ts';

export const completionsHandler: OperationHandler = {
  operation: 'completions',
  bodyKind: 'json',
  requestSchema: () => 'createCompletionRequest',
  handle: (ctx) => ctx.error(501, 'NotImplemented', 'the emulator does not implement completions yet'),
};
