/** Fault switches of completions (non-streaming). Each breaks exactly one rule. */
import type { Fault } from './types.ts';

export const FAULTS = [
  {
    id: 'completions-object-wrong',
    category: 'schema',
    breaks: 'completion `object` is "completion" instead of "text_completion"',
    proof: [{ case: 'completions-minimal', warns: 'object-type' }, { case: 'mi-completions-minimal', fails: 'object-type' }],
  },
  {
    id: 'completions-prompt-array-first-only',
    category: 'semantics',
    breaks: 'an array prompt is answered for its first prompt only (choices ≠ prompts × n)',
    proof: [{ case: 'completions-prompt-array', fails: 'completions-choice-count' }, { case: 'mi-completions-prompt-array', fails: 'completions-choice-count' }],
  },
  {
    id: 'completions-best-of-returned',
    category: 'semantics',
    breaks: 'with best_of, every candidate is returned instead of the best n',
    proof: [{ case: 'completions-best-of', fails: 'completions-choice-count' }],
  },
  {
    id: 'completions-best-of-below-n-accepted',
    category: 'bounds',
    breaks: 'best_of smaller than n is accepted (200) instead of rejected',
    proof: [{ case: 'completions-best-of-below-n', warns: 'status-class' }],
  },
  {
    id: 'completions-max-tokens-ignored',
    category: 'semantics',
    breaks: 'max_tokens is ignored: the completion runs past it',
    proof: [{ case: 'completions-max-tokens-cut', fails: 'completions-tokens-within-max' }, { case: 'mi-completions-max-tokens-cut', fails: 'completions-tokens-within-max' }],
  },
  {
    id: 'completions-finish-reason-stop-when-cut',
    category: 'semantics',
    breaks: 'a completion cut at max_tokens reports finish_reason "stop" instead of "length"',
    proof: [{ case: 'completions-max-tokens-cut', warns: 'completions-finish-reason' }, { case: 'mi-completions-max-tokens-cut', fails: 'completions-finish-reason' }],
  },
  {
    id: 'completions-stop-included',
    category: 'semantics',
    breaks: 'the stop sequence that ended a completion is left at the end of its text',
    proof: [{ case: 'completions-stop-string', fails: 'completions-stop-absent' }, { case: 'mi-completions-stop-string', fails: 'completions-stop-absent' }],
  },
  {
    id: 'completions-echo-ignored',
    category: 'semantics',
    breaks: 'echo is ignored: the text does not start with the prompt',
    proof: [{ case: 'completions-echo', fails: 'completions-echo-prefix' }],
  },
  {
    id: 'completions-logprobs-missing',
    category: 'semantics',
    breaks: 'logprobs is requested but choices carry `logprobs: null`',
    proof: [{ case: 'completions-logprobs', fails: 'completions-logprobs-present' }],
  },
  {
    id: 'completions-logprobs-misaligned',
    category: 'semantics',
    breaks: 'logprobs.text_offset has one entry fewer than logprobs.tokens',
    proof: [{ case: 'completions-logprobs', warns: 'completions-logprobs-aligned' }],
  },
  {
    id: 'completions-top-logprobs-extra',
    category: 'semantics',
    breaks: 'each top_logprobs entry has logprobs + 2 alternatives, one more than the most likely tokens and the sampled one',
    proof: [{ case: 'completions-logprobs', fails: 'completions-top-logprobs-at-most' }],
  },
  {
    id: 'completions-top-logprobs-short',
    category: 'semantics',
    breaks: 'each top_logprobs entry has a single alternative whatever logprobs asks for',
    proof: [{ case: 'completions-logprobs', warns: 'completions-top-logprobs-at-least' }],
  },
  {
    id: 'completions-usage-missing',
    category: 'schema',
    breaks: 'a non-streamed completion carries no usage',
    proof: [{ case: 'completions-minimal', warns: 'completions-usage-present' }, { case: 'mi-completions-minimal', warns: 'completions-usage-present' }],
  },
  {
    id: 'completions-usage-total-wrong',
    category: 'semantics',
    breaks: 'completion usage.total_tokens is one more than prompt_tokens + completion_tokens',
    proof: [{ case: 'completions-minimal', fails: 'completions-usage-sums' }, { case: 'mi-completions-minimal', fails: 'completions-usage-sums' }],
  },
  {
    id: 'completions-prompt-filter-index-wrong',
    category: 'semantics',
    breaks: 'prompt_filter_results number the prompts from 1 instead of 0',
    proof: [{ case: 'completions-prompt-filter-results', warns: 'completions-prompt-filter-indexes' }],
  },
] as const satisfies readonly Fault[];
