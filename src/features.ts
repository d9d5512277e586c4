/**
 * Optional features a target may declare it lacks (target config `features:`). A case that `needs` a
 * feature the target switched off is reported as skipped with the reason, never failed.
 * With no config every feature is on: the whole contract applies.
 */
export const FEATURES = {
  streaming: 'stream: true on chat and completions (SSE)',
  tools: 'chat tools and tool_choice',
  functions: 'the deprecated chat functions / function_call',
  json_mode: 'response_format json_object',
  logprobs: 'logprobs / top_logprobs (chat) and logprobs (completions)',
  vision: 'image_url content parts in chat messages',
  data_sources: 'Azure OpenAI On Your Data (data_sources, message.context)',
  seed: 'the seed parameter',
  logit_bias: 'logit_bias',
  echo: 'completions echo',
  suffix: 'completions suffix',
  best_of: 'completions best_of',
  completions_tokens: 'completions prompt given as token ids (documented by Model Inference, not by Azure OpenAI 2024-06-01)',
  embeddings_dimensions: 'embeddings dimensions',
  embeddings_base64: 'embeddings encoding_format base64',
  embeddings_tokens: 'embeddings input given as token arrays',
  images_url: 'image generation response_format url',
  images_b64_json: 'image generation response_format b64_json',
  audio_verbose_json: 'audio response_format verbose_json',
  audio_text_formats: 'audio response_format text, srt and vtt',
  content_filter: 'Azure content filter annotations (prompt_filter_results, content_filter_results)',
  extra_parameters: 'Model Inference extra-parameters header',
} as const;

export type Feature = keyof typeof FEATURES;
export const FEATURE_NAMES = Object.keys(FEATURES) as Feature[];
