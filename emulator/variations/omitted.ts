/** Legal variations that leave out what the documents mark optional ("Necesario: No"). */
import { choicesOf, dataOf, isRecord } from './json.ts';
import type { Variation } from './types.ts';

const AZURE_AND_OPENAI = ['azure-openai', 'openai'] as const;

export const VARIATIONS: Variation[] = [
  {
    id: 'chat-optional-omitted',
    responses: ['success', 'stream'],
    area: 'bodies',
    operations: ['chat.completions'],
    profiles: AZURE_AND_OPENAI,
    does: 'chat completions leave out every optional member: usage, system_fingerprint, prompt_filter_results, choice index, choice logprobs and filter results, a call\'s null content, citation title/url/filepath/chunk_id',
    allowedBy: [
      { seed: '003', quote: 'usada | CompletionUsage | Estadísticas de uso de la solicitud de finalización. | No | |' },
      { seed: '003', quote: 'índice | integer | No | ||' },
      { seed: '003', quote: 'content | string | Contenido del mensaje. | No | |' },
      { seed: '003', quote: 'title | string | Título de la cita. | No | |' },
      { seed: '003', quote: 'chunk_id | string | Identificador del fragmento de la cita. | No |' },
    ],
    because: 'a minimal OpenAI-style server sends no usage, fingerprint or filter results; chatCompletionChoiceCommon marks index optional',
    expectedWarnings: {
      checks: ['members-present'],
      why: 'the official OpenAPI file requires a choice index that seed 003 leaves optional: members-present warns at SHOULD on that basis (AOAI-CHAT-RESPONSE-MEMBERS)',
    },
    success(body, info) {
      // Usage a stream was asked for (openai profile: stream_options.include_usage) is kept.
      const usageAsked = isRecord(info.request.stream_options) && info.request.stream_options.include_usage === true;
      for (const key of [...(usageAsked ? [] : ['usage']), 'system_fingerprint', 'prompt_filter_results']) delete body[key];
      for (const choice of choicesOf(body)) {
        delete choice.index;
        delete choice.content_filter_results;
        if (choice.logprobs === null) delete choice.logprobs;
        const message = isRecord(choice.message) ? choice.message : {};
        if (message.content === null) delete message.content;
        const citations = isRecord(message.context) && Array.isArray(message.context.citations) ? message.context.citations.filter(isRecord) : [];
        for (const citation of citations) for (const key of ['title', 'url', 'filepath', 'chunk_id']) delete citation[key];
      }
    },
  },
  {
    id: 'completions-optional-omitted',
    responses: ['success', 'stream'],
    area: 'bodies',
    operations: ['completions'],
    profiles: AZURE_AND_OPENAI,
    does: 'completions leave out prompt_filter_results, system_fingerprint, and each choice\'s null logprobs and filter results',
    allowedBy: [{ seed: '003', quote: 'prompt_filter_results | promptFilterResults | Resultados del filtrado de contenido para cero o más indicaciones en la solicitud.' }],
    because: 'seed 003 marks prompt_filter_results optional and defines no choice members; system_fingerprint is not part of 2024-06-01 completions at all',
    success(body) {
      delete body.prompt_filter_results;
      delete body.system_fingerprint;
      for (const choice of choicesOf(body)) {
        delete choice.content_filter_results;
        if (choice.logprobs === null) delete choice.logprobs;
      }
    },
  },
  {
    id: 'images-optional-omitted',
    responses: ['success'],
    area: 'images',
    operations: ['images.generations'],
    does: 'image results leave out revised_prompt and both filter annotations',
    allowedBy: [
      { seed: '003', quote: 'revised_prompt | string | Mensaje que se usó para generar la imagen, si se ha producido alguna revisión en el símbolo del sistema. | No | |' },
      { seed: '003', quote: 'content_filter_results | dalleContentFilterResults | Información sobre los resultados del filtrado de contenido. | No | |' },
    ],
    because: 'dall-e-2 style services return no revised_prompt; filtering may be off',
    success(body) {
      for (const image of dataOf(body)) for (const key of ['revised_prompt', 'content_filter_results', 'prompt_filter_results']) delete image[key];
    },
  },
];
