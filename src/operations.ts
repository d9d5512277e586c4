/**
 * The operations the suite judges, each one's identity said once: its id, where it lives in a URL, which
 * deployment serves it, its schema components, whether it streams and which optional features it has.
 * The engine, the profiles, the coverage, the case loader and the runner read this table; the emulator keeps
 * its own copy of what it serves (emulator/routes.ts), cross-checked against this one by a test.
 */
import type { Feature } from './features.ts';

/** Which of the target's deployments serves an operation (target config `deployments:`). */
export type Capability = 'chat' | 'completions' | 'embeddings' | 'transcriptions' | 'translations' | 'images';

/** A profile's schema files (schemas/<surface>/), named by contract and version. */
export type SchemaSurface = 'azure-openai/2024-06-01' | 'model-inference/2024-04-01-preview';

/** An operation's components on one schema surface. */
export interface OperationComponents {
  request: string;
  /** The components a 2xx body may be (JSON bodies; text formats have none). */
  response: readonly string[];
  /** The component of one streamed event's data, for operations that stream. */
  streamEvent?: string;
}

export interface OperationInfo {
  /**
   * The path after the profile's base, the same in every profile style:
   * azure-openai `/openai/deployments/{deployment}/<path>`, model-inference `/<path>`, openai `/v1/<path>`.
   */
  path: string;
  capability: Capability;
  /** How the request body is sent. */
  body: 'json' | 'multipart';
  /** `stream: true` is answered as server-sent events. */
  streams: boolean;
  /** The optional features (src/features.ts) a case of this operation may need. */
  features: readonly Feature[];
  /** The folder under cases/ that holds the operation's cases. */
  cases: string;
  /** Components per schema surface; a surface without an entry does not define the operation. */
  components: Partial<Record<SchemaSurface, OperationComponents>>;
}

const AOAI = 'azure-openai/2024-06-01';
const MI = 'model-inference/2024-04-01-preview';

const TABLE = {
  completions: {
    path: 'completions',
    capability: 'completions',
    body: 'json',
    streams: true,
    features: ['streaming', 'logprobs', 'seed', 'logit_bias', 'echo', 'suffix', 'best_of', 'completions_tokens', 'content_filter', 'extra_parameters'],
    cases: 'completions',
    components: {
      [AOAI]: { request: 'createCompletionRequest', response: ['createCompletionResponse'], streamEvent: 'completionStreamEvent' },
      [MI]: { request: 'CreateCompletionRequest', response: ['CreateCompletionResponse'], streamEvent: 'CreateCompletionResponse' },
    },
  },
  'chat.completions': {
    path: 'chat/completions',
    capability: 'chat',
    body: 'json',
    streams: true,
    features: ['streaming', 'tools', 'functions', 'json_mode', 'logprobs', 'vision', 'data_sources', 'seed', 'logit_bias', 'content_filter'],
    cases: 'chat-completions',
    components: { [AOAI]: { request: 'createChatCompletionRequest', response: ['createChatCompletionResponse'], streamEvent: 'chatCompletionStreamEvent' } },
  },
  embeddings: {
    path: 'embeddings',
    capability: 'embeddings',
    body: 'json',
    streams: false,
    features: ['embeddings_dimensions', 'embeddings_base64', 'embeddings_tokens'],
    cases: 'embeddings',
    components: { [AOAI]: { request: 'createEmbeddingRequest', response: ['createEmbeddingResponse'] } },
  },
  'audio.transcriptions': {
    path: 'audio/transcriptions',
    capability: 'transcriptions',
    body: 'multipart',
    streams: false,
    features: ['audio_verbose_json', 'audio_text_formats'],
    cases: 'audio-transcriptions',
    components: { [AOAI]: { request: 'createTranscriptionRequest', response: ['audioResponse', 'audioVerboseResponse'] } },
  },
  'audio.translations': {
    path: 'audio/translations',
    capability: 'translations',
    body: 'multipart',
    streams: false,
    features: ['audio_verbose_json', 'audio_text_formats'],
    cases: 'audio-translations',
    components: { [AOAI]: { request: 'createTranslationRequest', response: ['audioResponse', 'audioVerboseResponse'] } },
  },
  'images.generations': {
    path: 'images/generations',
    capability: 'images',
    body: 'json',
    streams: false,
    features: ['images_url', 'images_b64_json'],
    cases: 'images-generations',
    components: { [AOAI]: { request: 'imageGenerationsRequest', response: ['generateImagesResponse'] } },
  },
} as const satisfies Record<string, OperationInfo>;

export type OperationId = keyof typeof TABLE;
export const OPERATION_INFO: Record<OperationId, OperationInfo> = TABLE;
/** Every operation, in the order the report lists them. */
export const OPERATIONS = Object.keys(TABLE) as OperationId[];

/** The operation's components on a surface, or undefined when the surface does not define it. */
export function componentsOf(operation: OperationId, surface: string): OperationComponents | undefined {
  return OPERATION_INFO[operation].components[surface as SchemaSurface];
}
