/** Fault switches of completions (non-streaming). Each breaks exactly one rule. */
import type { Fault } from './types.ts';

export const FAULTS = [
  { id: 'completions-object-wrong', category: 'schema', breaks: 'completion `object` is "completion" instead of "text_completion"' },
  { id: 'completions-prompt-array-first-only', category: 'semantics', breaks: 'an array prompt is answered for its first prompt only (choices ≠ prompts × n)' },
  { id: 'completions-best-of-returned', category: 'semantics', breaks: 'with best_of, every candidate is returned instead of the best n' },
  { id: 'completions-best-of-below-n-accepted', category: 'bounds', breaks: 'best_of smaller than n is accepted (200) instead of rejected' },
  { id: 'completions-max-tokens-ignored', category: 'semantics', breaks: 'max_tokens is ignored: the completion runs past it' },
  { id: 'completions-finish-reason-stop-when-cut', category: 'semantics', breaks: 'a completion cut at max_tokens reports finish_reason "stop" instead of "length"' },
  { id: 'completions-stop-included', category: 'semantics', breaks: 'the stop sequence that ended a completion is left at the end of its text' },
  { id: 'completions-echo-ignored', category: 'semantics', breaks: 'echo is ignored: the text does not start with the prompt' },
  { id: 'completions-logprobs-missing', category: 'semantics', breaks: 'logprobs is requested but choices carry `logprobs: null`' },
  { id: 'completions-logprobs-misaligned', category: 'semantics', breaks: 'logprobs.text_offset has one entry fewer than logprobs.tokens' },
  { id: 'completions-top-logprobs-extra', category: 'semantics', breaks: 'each top_logprobs entry has logprobs + 2 alternatives (at most logprobs + 1 are allowed)' },
  { id: 'completions-top-logprobs-short', category: 'semantics', breaks: 'each top_logprobs entry has a single alternative whatever logprobs asks for' },
  { id: 'completions-usage-missing', category: 'schema', breaks: 'a non-streamed completion carries no usage' },
  { id: 'completions-usage-total-wrong', category: 'semantics', breaks: 'completion usage.total_tokens is one more than prompt_tokens + completion_tokens' },
  { id: 'completions-prompt-filter-index-wrong', category: 'semantics', breaks: 'prompt_filter_results number the prompts from 1 instead of 0' },
] as const satisfies readonly Fault[];
