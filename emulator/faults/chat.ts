/** Fault switches of chat completions (non-streaming). Each breaks exactly one rule. */
import type { Fault } from './types.ts';

export const FAULTS = [
  {
    id: 'chat-object-wrong',
    category: 'schema',
    breaks: 'chat completion `object` is "chat.completions" instead of "chat.completion"',
    proof: [{ case: 'chat-minimal', fails: 'object-type' }],
    alter: {
      operations: ['chat.completions'],
      apply: (body) => {
        body.object = 'chat.completions';
      },
    },
  },
  {
    id: 'chat-missing-id',
    category: 'schema',
    breaks: 'chat completion omits the required `id`',
    proof: [{ case: 'chat-minimal', fails: 'schema' }],
    alter: {
      operations: ['chat.completions'],
      apply: (body) => {
        delete body.id;
      },
    },
  },
  { id: 'chat-created-string', category: 'schema', breaks: 'chat completion `created` is an ISO date string instead of a Unix timestamp', proof: [{ case: 'chat-multi-turn', fails: 'schema' }] },
  { id: 'usage-total-wrong', category: 'semantics', breaks: 'usage.total_tokens is one more than prompt_tokens + completion_tokens', proof: [{ case: 'chat-n-3', fails: 'usage-sums' }] },
  { id: 'n-ignored', category: 'semantics', breaks: '`n` is ignored: always one choice', proof: [{ case: 'chat-n-3', fails: 'choice-count' }] },
  {
    id: 'chat-choice-index-missing',
    category: 'schema',
    breaks: 'chat choices carry no `index` (optional in seed 003, required by the official file)',
    proof: [
      // Optional in seed 003: a choice without one is a warning about the official file's members, never a MUST failure.
      { case: 'chat-minimal', warns: 'members-present' },
    ],
  },
  { id: 'choice-index-from-one', category: 'semantics', breaks: 'choice indexes start at 1 instead of 0', proof: [{ case: 'chat-n-3', warns: 'choice-indexes' }] },
  { id: 'chat-role-missing', category: 'semantics', breaks: 'choices[].message carries no `role` (the assistant role is left out)', proof: [{ case: 'chat-minimal', warns: 'chat-assistant-role' }] },
  {
    id: 'chat-max-tokens-ignored',
    category: 'semantics',
    breaks: '`max_tokens` is ignored: the whole reply is generated and counted',
    proof: [{ case: 'chat-max-tokens-cut', fails: 'chat-max-tokens-respected' }],
  },
  {
    id: 'chat-finish-reason-stop-when-cut',
    category: 'semantics',
    breaks: 'a reply cut by max_tokens reports finish_reason "stop" instead of "length"',
    proof: [{ case: 'chat-max-tokens-cut', warns: 'chat-finish-reason' }],
  },
  {
    id: 'chat-stop-ignored',
    category: 'semantics',
    breaks: '`stop` is ignored: generation runs past the stop sequence',
    proof: [
      { case: 'chat-stop-string', fails: 'chat-stop-sequence-honoured' },
      // The stop cases choose their stops from the target's own text (request.derive): ignoring stop is caught whatever
      // it writes.
      { case: 'chat-stop-four-sequences', fails: 'chat-stop-sequence-honoured' },
    ],
  },
  {
    id: 'chat-stop-sequence-included',
    category: 'semantics',
    breaks: 'a reply cut at a stop sequence ends with the sequence itself',
    proof: [{ case: 'chat-stop-four-sequences', warns: 'chat-stop-sequence-absent' }],
  },
  {
    id: 'chat-json-mode-ignored',
    category: 'semantics',
    breaks: 'response_format json_object is ignored: the content is plain text',
    proof: [{ case: 'chat-json-object', fails: 'chat-json-object-content' }],
  },
  {
    id: 'chat-json-mode-ignored-cut',
    category: 'semantics',
    breaks: 'response_format json_object is ignored and the plain-text reply always claims finish_reason "length", as if cut mid-JSON',
    proof: [
      // Plain text claiming finish_reason "length" is still no beginning of a JSON object.
      { case: 'chat-json-object', fails: 'chat-json-object-content' },
    ],
  },
  {
    id: 'chat-tool-choice-ignored',
    category: 'semantics',
    breaks: 'a tool_choice naming a function is ignored: the reply is text, with no tool call',
    proof: [{ case: 'chat-tool-choice-forced', fails: 'chat-forced-tool-call' }],
  },
  {
    id: 'chat-tool-choice-none-ignored',
    category: 'semantics',
    breaks: 'tool_choice / function_call "none" is ignored: the model calls a function anyway',
    proof: [{ case: 'chat-tool-choice-none', fails: 'chat-no-tool-calls' }, { case: 'chat-function-call-none', fails: 'chat-no-tool-calls' }],
  },
  {
    id: 'chat-function-call-ignored',
    category: 'semantics',
    breaks: 'a function_call naming a function is ignored: the reply is text, with no function_call',
    proof: [{ case: 'chat-function-call-forced', fails: 'chat-function-call-shape' }],
  },
  {
    id: 'chat-tool-arguments-not-json',
    category: 'semantics',
    breaks: 'tool / function call arguments are not JSON (key=value text)',
    proof: [{ case: 'chat-tool-choice-forced', warns: 'chat-call-arguments-json' }],
  },
  {
    id: 'chat-tool-arguments-off-schema',
    category: 'semantics',
    breaks: "tool / function call arguments are an empty object, missing the function's required parameters",
    proof: [{ case: 'chat-function-call-forced', warns: 'chat-call-arguments-schema' }],
  },
  {
    id: 'chat-unknown-function-accepted',
    category: 'bounds',
    breaks: 'a tool_choice / function_call naming a function the request does not define is served (200)',
    proof: [{ case: 'chat-tool-choice-undefined-function', warns: 'status-class' }, { case: 'chat-function-call-undefined-function', warns: 'status-class' }],
  },
  {
    id: 'chat-top-logprobs-without-logprobs-accepted',
    category: 'bounds',
    breaks: 'top_logprobs without logprobs: true is served (200)',
    proof: [{ case: 'chat-top-logprobs-without-logprobs', warns: 'status-class' }],
  },
  { id: 'chat-logprobs-ignored', category: 'semantics', breaks: '`logprobs: true` is ignored: choices[].logprobs is null', proof: [{ case: 'chat-logprobs-top-2', fails: 'chat-logprobs-structure' }] },
  {
    id: 'chat-logprob-positive',
    category: 'semantics',
    breaks: 'token log probabilities are positive (a probability above 1)',
    proof: [{ case: 'chat-logprobs-only', fails: 'chat-logprobs-structure' }],
  },
  { id: 'chat-logprobs-partial', category: 'semantics', breaks: 'logprobs.content leaves out the last output token', proof: [{ case: 'chat-logprobs-top-2', warns: 'chat-logprobs-cover-content' }] },
  {
    id: 'chat-top-logprobs-extra',
    category: 'semantics',
    breaks: 'each token carries one more top_logprobs entry than requested',
    proof: [{ case: 'chat-top-logprobs-max', fails: 'chat-top-logprobs-at-most' }],
  },
  {
    id: 'chat-top-logprobs-fewer',
    category: 'semantics',
    breaks: 'each token carries one fewer top_logprobs entry than requested',
    proof: [{ case: 'chat-logprobs-top-2', warns: 'chat-top-logprobs-count' }],
  },
  {
    id: 'chat-image-parts-rejected',
    category: 'bounds',
    breaks: 'user content parts of type image_url (wire shape) are rejected with 400',
    proof: [{ case: 'chat-user-image-url-part', warns: 'status' }],
  },
  {
    id: 'chat-data-sources-context-missing',
    category: 'semantics',
    breaks: 'a data_sources request is answered without message.context (no citations, no intent)',
    proof: [{ case: 'chat-data-sources-search-system-identity', warns: 'chat-data-sources-context' }],
  },
  { id: 'chat-citation-content-missing', category: 'schema', breaks: 'message.context.citations[] omit the required `content`', proof: [{ case: 'chat-data-sources-cosmos-db', fails: 'schema' }] },
] as const satisfies readonly Fault[];
