/** Which handler serves which operation. */
import type { OperationId } from '../src/model.ts';
import { transcriptionsHandler, translationsHandler } from './audio.ts';
import { chatHandler } from './chat.ts';
import { completionsHandler } from './completions.ts';
import { embeddingsHandler } from './embeddings.ts';
import { imagesHandler } from './images.ts';
import type { OperationHandler } from './types.ts';

export const HANDLERS: Record<OperationId, OperationHandler> = {
  completions: completionsHandler,
  'chat.completions': chatHandler,
  embeddings: embeddingsHandler,
  'audio.transcriptions': transcriptionsHandler,
  'audio.translations': translationsHandler,
  'images.generations': imagesHandler,
};

