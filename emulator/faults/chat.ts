/** Fault switches of chat completions (non-streaming). Each breaks exactly one rule. */
import type { Fault } from './types.ts';

export const FAULTS: Fault[] = [
  { id: 'chat-object-wrong', category: 'schema', breaks: 'chat completion `object` is "chat.completions" instead of "chat.completion"' },
  { id: 'chat-missing-id', category: 'schema', breaks: 'chat completion omits the required `id`' },
  { id: 'chat-created-string', category: 'schema', breaks: 'chat completion `created` is an ISO date string instead of a Unix timestamp' },
  { id: 'usage-total-wrong', category: 'semantics', breaks: 'usage.total_tokens is one more than prompt_tokens + completion_tokens' },
  { id: 'n-ignored', category: 'semantics', breaks: '`n` is ignored: always one choice' },
  { id: 'choice-index-from-one', category: 'semantics', breaks: 'choice indexes start at 1 instead of 0' },
];
