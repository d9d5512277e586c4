/** POST …/audio/transcriptions and …/audio/translations: not implemented yet (501). */
import type { OperationHandler } from './types.ts';

export const transcriptionsHandler: OperationHandler = {
  operation: 'audio.transcriptions',
  bodyKind: 'multipart',
  handle: (ctx) => ctx.error(501, 'NotImplemented', 'the emulator does not implement audio transcriptions yet'),
};

export const translationsHandler: OperationHandler = {
  operation: 'audio.translations',
  bodyKind: 'multipart',
  handle: (ctx) => ctx.error(501, 'NotImplemented', 'the emulator does not implement audio translations yet'),
};
