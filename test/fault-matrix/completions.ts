/** Fault-matrix rows for completions (see ./types.ts). */
import type { FaultRow } from './types.ts';

export const ROWS: FaultRow[] = [
  { fault: 'completions-object-wrong', case: 'completions-minimal', check: 'object-type', status: 'warning' },
  { fault: 'completions-usage-missing', case: 'completions-minimal', check: 'completions-usage-present', status: 'warning' },
  { fault: 'completions-usage-total-wrong', case: 'completions-minimal', check: 'completions-usage-sums', status: 'fail' },
  { fault: 'completions-prompt-array-first-only', case: 'completions-prompt-array', check: 'completions-choice-count', status: 'fail' },
  { fault: 'completions-best-of-returned', case: 'completions-best-of', check: 'completions-choice-count', status: 'fail' },
  { fault: 'completions-best-of-below-n-accepted', case: 'completions-best-of-below-n', check: 'status-class', status: 'warning' },
  { fault: 'completions-max-tokens-ignored', case: 'completions-max-tokens-cut', check: 'completions-tokens-within-max', status: 'fail' },
  { fault: 'completions-finish-reason-stop-when-cut', case: 'completions-max-tokens-cut', check: 'completions-finish-reason', status: 'warning' },
  { fault: 'completions-stop-included', case: 'completions-stop-string', check: 'completions-stop-absent', status: 'fail' },
  { fault: 'completions-echo-ignored', case: 'completions-echo', check: 'completions-echo-prefix', status: 'fail' },
  { fault: 'completions-logprobs-missing', case: 'completions-logprobs', check: 'completions-logprobs-present', status: 'fail' },
  { fault: 'completions-logprobs-misaligned', case: 'completions-logprobs', check: 'completions-logprobs-aligned', status: 'warning' },
  { fault: 'completions-top-logprobs-extra', case: 'completions-logprobs', check: 'completions-top-logprobs-at-most', status: 'fail' },
  { fault: 'completions-top-logprobs-short', case: 'completions-logprobs', check: 'completions-top-logprobs-at-least', status: 'warning' },
  { fault: 'completions-prompt-filter-index-wrong', case: 'completions-prompt-filter-results', check: 'completions-prompt-filter-indexes', status: 'warning' },
  // The shared faults, shown to be caught by the completions cases too.
  { fault: 'bounds-unchecked', case: 'completions-n-above-max', check: 'status-class', status: 'fail' },
  { fault: 'bounds-unchecked', case: 'completions-logprobs-above-max', check: 'status-class', status: 'fail' },
  { fault: 'bounds-unchecked', case: 'completions-best-of-above-max', check: 'status-class', status: 'fail' },
  { fault: 'bounds-unchecked', case: 'completions-max-tokens-negative', check: 'status-class', status: 'fail' },
  { fault: 'bounds-unchecked', case: 'completions-temperature-above-max', check: 'status-class', status: 'warning' },
  { fault: 'bounds-unchecked', case: 'completions-logit-bias-above-max', check: 'status-class', status: 'fail' },
  { fault: 'validation-422', case: 'completions-prompt-not-text', check: 'status', status: 'warning' },
  { fault: 'auth-wrong-accepted', case: 'completions-auth-wrong', check: 'status-class', status: 'fail' },
  { fault: 'deployment-unknown-accepted', case: 'completions-deployment-unknown', check: 'status-class', status: 'warning' },
];
