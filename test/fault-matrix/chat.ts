/** Fault-matrix rows for chat completions beyond the walking skeleton (see ./types.ts). */
import type { FaultRow } from './types.ts';

export const ROWS: FaultRow[] = [
  // Responses: role, length, stop.
  { fault: 'chat-role-missing', case: 'chat-minimal', check: 'chat-assistant-role', status: 'warning' },
  { fault: 'chat-max-tokens-ignored', case: 'chat-max-tokens-cut', check: 'chat-max-tokens-respected', status: 'fail' },
  { fault: 'chat-finish-reason-stop-when-cut', case: 'chat-max-tokens-cut', check: 'chat-finish-reason', status: 'warning' },
  { fault: 'chat-stop-ignored', case: 'chat-stop-string', check: 'chat-stop-sequence-honoured', status: 'fail' },
  { fault: 'chat-stop-sequence-included', case: 'chat-stop-four-sequences', check: 'chat-stop-sequence-absent', status: 'warning' },
  // The stop cases choose their stops from the target's own text (request.derive): ignoring stop is caught whatever it writes.
  { fault: 'chat-stop-ignored', case: 'chat-stop-four-sequences', check: 'chat-stop-sequence-honoured', status: 'fail' },
  // JSON mode.
  { fault: 'chat-json-mode-ignored', case: 'chat-json-object', check: 'chat-json-object-content', status: 'fail' },
  // Plain text claiming finish_reason "length" is still no beginning of a JSON object.
  { fault: 'chat-json-mode-ignored-cut', case: 'chat-json-object', check: 'chat-json-object-content', status: 'fail' },
  // Tools and functions.
  { fault: 'chat-tool-choice-ignored', case: 'chat-tool-choice-forced', check: 'chat-forced-tool-call', status: 'fail' },
  { fault: 'chat-tool-choice-none-ignored', case: 'chat-tool-choice-none', check: 'chat-no-tool-calls', status: 'fail' },
  { fault: 'chat-tool-choice-none-ignored', case: 'chat-function-call-none', check: 'chat-no-tool-calls', status: 'fail' },
  { fault: 'chat-function-call-ignored', case: 'chat-function-call-forced', check: 'chat-function-call-shape', status: 'fail' },
  { fault: 'chat-tool-arguments-not-json', case: 'chat-tool-choice-forced', check: 'chat-call-arguments-json', status: 'warning' },
  { fault: 'chat-tool-arguments-off-schema', case: 'chat-function-call-forced', check: 'chat-call-arguments-schema', status: 'warning' },
  { fault: 'chat-unknown-function-accepted', case: 'chat-tool-choice-undefined-function', check: 'status-class', status: 'warning' },
  { fault: 'chat-unknown-function-accepted', case: 'chat-function-call-undefined-function', check: 'status-class', status: 'warning' },
  // Logprobs.
  { fault: 'chat-top-logprobs-without-logprobs-accepted', case: 'chat-top-logprobs-without-logprobs', check: 'status-class', status: 'warning' },
  { fault: 'chat-logprobs-ignored', case: 'chat-logprobs-top-2', check: 'chat-logprobs-structure', status: 'fail' },
  { fault: 'chat-logprob-positive', case: 'chat-logprobs-only', check: 'chat-logprobs-structure', status: 'fail' },
  { fault: 'chat-logprobs-partial', case: 'chat-logprobs-top-2', check: 'chat-logprobs-cover-content', status: 'warning' },
  { fault: 'chat-top-logprobs-extra', case: 'chat-top-logprobs-max', check: 'chat-top-logprobs-at-most', status: 'fail' },
  { fault: 'chat-top-logprobs-fewer', case: 'chat-logprobs-top-2', check: 'chat-top-logprobs-count', status: 'warning' },
  // Messages.
  { fault: 'chat-image-parts-rejected', case: 'chat-user-image-url-part', check: 'status', status: 'warning' },
  // On Your Data.
  { fault: 'chat-data-sources-context-missing', case: 'chat-data-sources-search-system-identity', check: 'chat-data-sources-context', status: 'warning' },
  { fault: 'chat-citation-content-missing', case: 'chat-data-sources-cosmos-db', check: 'schema', status: 'fail' },
  // Shared validation faults on the chat bounds and required fields.
  { fault: 'bounds-unchecked', case: 'chat-top-logprobs-above-max', check: 'status-class', status: 'fail' },
  { fault: 'bounds-unchecked', case: 'chat-logit-bias-below-min', check: 'status-class', status: 'fail' },
  { fault: 'bounds-unchecked', case: 'chat-n-above-max', check: 'status-class', status: 'warning' },
  { fault: 'required-unchecked', case: 'chat-message-role-missing', check: 'status-class', status: 'fail' },
];
