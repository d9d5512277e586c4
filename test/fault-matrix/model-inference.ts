/** Fault-matrix rows for model-inference (see ./types.ts). */
import type { FaultRow } from './types.ts';

export const ROWS: FaultRow[] = [
  { fault: 'model-inference-extra-parameters-accepted', case: 'mi-extra-parameters-error', check: 'status-class', status: 'fail' },
  { fault: 'model-inference-extra-parameters-default-accepted', case: 'mi-extra-parameters-default', check: 'status-class', status: 'warning' },
  { fault: 'model-inference-ignore-rejected', case: 'mi-extra-parameters-ignore', check: 'status', status: 'fail' },
  { fault: 'model-inference-pass-through-rejected', case: 'mi-extra-parameters-pass-through', check: 'status', status: 'warning' },
  { fault: 'model-inference-synonyms-rejected', case: 'mi-extra-parameters-drop', check: 'status', status: 'warning' },
  { fault: 'model-inference-detail-loc-missing', case: 'mi-extra-parameters-error', check: 'model-inference-detail-loc', status: 'warning' },
  { fault: 'model-inference-error-code-header-missing', case: 'mi-auth-missing', check: 'model-inference-error-code-header', status: 'warning' },
  { fault: 'model-inference-error-status-mismatch', case: 'mi-prompt-not-text', check: 'model-inference-error-status', status: 'fail' },
  { fault: 'model-inference-error-object', case: 'mi-auth-missing', check: 'model-inference-body', status: 'fail' },
  { fault: 'model-inference-detail-loc-integer', case: 'mi-prompt-not-text', check: 'model-inference-body', status: 'fail' },
  { fault: 'error-message-missing', case: 'mi-extra-parameters-error', check: 'error-message', status: 'warning' },
  // Completions faults and shared faults, shown to be caught under the Model Inference profile too.
  { fault: 'completions-max-tokens-ignored', case: 'mi-completions-max-tokens-cut', check: 'completions-tokens-within-max', status: 'fail' },
  { fault: 'completions-finish-reason-stop-when-cut', case: 'mi-completions-max-tokens-cut', check: 'completions-finish-reason', status: 'fail' },
  { fault: 'completions-stop-included', case: 'mi-completions-stop-string', check: 'completions-stop-absent', status: 'fail' },
  { fault: 'completions-prompt-array-first-only', case: 'mi-completions-prompt-array', check: 'completions-choice-count', status: 'fail' },
  { fault: 'completions-object-wrong', case: 'mi-completions-minimal', check: 'object-type', status: 'fail' },
  { fault: 'completions-usage-missing', case: 'mi-completions-minimal', check: 'completions-usage-present', status: 'warning' },
  { fault: 'completions-usage-total-wrong', case: 'mi-completions-minimal', check: 'completions-usage-sums', status: 'fail' },
  { fault: 'auth-status-403', case: 'mi-auth-wrong', check: 'status', status: 'fail' },
  { fault: 'auth-missing-accepted', case: 'mi-auth-missing', check: 'status-class', status: 'fail' },
  { fault: 'api-version-ignored', case: 'mi-api-version-missing', check: 'status-class', status: 'fail' },
  { fault: 'api-version-unknown-accepted', case: 'mi-api-version-unknown', check: 'status-class', status: 'warning' },
  { fault: 'deployment-unknown-accepted', case: 'mi-deployment-header-unknown', check: 'status-class', status: 'warning' },
  { fault: 'required-unchecked', case: 'mi-prompt-missing', check: 'status-class', status: 'warning' },
  { fault: 'bounds-unchecked', case: 'mi-temperature-above-max', check: 'status-class', status: 'fail' },
  { fault: 'validation-500', case: 'mi-prompt-not-text', check: 'status-class', status: 'fail' },
  { fault: 'json-content-type-text', case: 'mi-completions-minimal', check: 'content-type', status: 'warning' },
];
