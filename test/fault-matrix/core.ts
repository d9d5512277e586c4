/** Fault-matrix rows for the shared checks and the chat completions cases (see ./types.ts). */
import type { FaultRow } from './types.ts';

export const ROWS: FaultRow[] = [
  { fault: 'server-error-html', case: 'chat-minimal', check: 'status', status: 'fail' },
  { fault: 'auth-status-403', case: 'chat-auth-wrong', check: 'status', status: 'warning' },
  { fault: 'api-version-missing-400', case: 'chat-api-version-missing', check: 'status', status: 'warning' },
  { fault: 'validation-422', case: 'chat-messages-missing', check: 'status', status: 'warning' },
  { fault: 'auth-missing-accepted', case: 'chat-auth-missing', check: 'status-class', status: 'fail' },
  { fault: 'auth-wrong-accepted', case: 'chat-auth-wrong', check: 'status-class', status: 'fail' },
  { fault: 'api-version-ignored', case: 'chat-api-version-missing', check: 'status-class', status: 'fail' },
  { fault: 'api-version-unknown-accepted', case: 'chat-api-version-unknown', check: 'status-class', status: 'warning' },
  { fault: 'deployment-unknown-accepted', case: 'chat-deployment-unknown', check: 'status-class', status: 'warning' },
  { fault: 'bounds-unchecked', case: 'chat-temperature-above-max', check: 'status-class', status: 'fail' },
  { fault: 'bounds-unchecked', case: 'chat-top-p-above-max', check: 'status-class', status: 'warning' },
  { fault: 'bounds-unchecked', case: 'chat-presence-penalty-above-max', check: 'status-class', status: 'fail' },
  { fault: 'required-unchecked', case: 'chat-messages-missing', check: 'status-class', status: 'warning' },
  { fault: 'validation-500', case: 'chat-temperature-below-min', check: 'status-class', status: 'fail' },
  { fault: 'json-content-type-text', case: 'chat-minimal', check: 'content-type', status: 'fail' },
  { fault: 'chat-missing-id', case: 'chat-minimal', check: 'schema', status: 'fail' },
  { fault: 'chat-created-string', case: 'chat-multi-turn', check: 'schema', status: 'fail' },
  { fault: 'error-body-shape', case: 'chat-auth-missing', check: 'error-body', status: 'fail' },
  { fault: 'error-body-text', case: 'chat-malformed-json', check: 'error-body', status: 'fail' },
  { fault: 'error-message-missing', case: 'chat-deployment-unknown', check: 'error-message', status: 'warning' },
  { fault: 'chat-object-wrong', case: 'chat-minimal', check: 'object-type', status: 'fail' },
  { fault: 'usage-total-wrong', case: 'chat-n-3', check: 'usage-sums', status: 'fail' },
  { fault: 'n-ignored', case: 'chat-n-3', check: 'choice-count', status: 'fail' },
  { fault: 'choice-index-from-one', case: 'chat-n-3', check: 'choice-indexes', status: 'warning' },
  // index is optional in seed 003: a choice without one is a warning about the official file's members, never a MUST failure.
  { fault: 'chat-choice-index-missing', case: 'chat-minimal', check: 'members-present', status: 'warning' },
  { fault: 'reset-connection', case: 'chat-minimal', check: 'transport', status: 'fail' },
];
