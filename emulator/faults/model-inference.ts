/** Fault switches of the Model Inference profile. Each breaks exactly one rule. */
import type { Fault } from './types.ts';

export const FAULTS = [
  {
    id: 'model-inference-extra-parameters-accepted',
    category: 'profile',
    breaks: 'with `extra-parameters: error`, a parameter outside the API is accepted (200)',
    proof: [{ case: 'mi-extra-parameters-error', fails: 'status-class' }],
  },
  {
    id: 'model-inference-extra-parameters-default-accepted',
    category: 'profile',
    breaks: 'without an extra-parameters header, a parameter outside the API is accepted (200)',
    proof: [{ case: 'mi-extra-parameters-default', warns: 'status-class' }],
  },
  {
    id: 'model-inference-ignore-rejected',
    category: 'profile',
    breaks: '`extra-parameters: ignore` rejects the extra parameter instead of dropping it',
    proof: [{ case: 'mi-extra-parameters-ignore', fails: 'status' }],
  },
  {
    id: 'model-inference-pass-through-rejected',
    category: 'profile',
    breaks: '`extra-parameters: pass-through` rejects the extra parameter instead of passing it to the model',
    proof: [{ case: 'mi-extra-parameters-pass-through', warns: 'status' }],
  },
  {
    id: 'model-inference-synonyms-rejected',
    category: 'profile',
    breaks: 'the documented synonyms `drop` and `allow` of extra-parameters are rejected',
    proof: [{ case: 'mi-extra-parameters-drop', warns: 'status' }],
  },
  {
    id: 'model-inference-detail-loc-missing',
    category: 'errors',
    breaks: 'a 422 body carries no detail.loc naming the offending parameter',
    proof: [{ case: 'mi-extra-parameters-error', warns: 'model-inference-detail-loc' }],
  },
  {
    id: 'model-inference-error-code-header-missing',
    category: 'headers',
    breaks: 'error responses carry no x-ms-error-code header',
    proof: [{ case: 'mi-auth-missing', warns: 'model-inference-error-code-header' }],
  },
  {
    id: 'model-inference-detail-loc-integer',
    category: 'errors',
    breaks: 'a 422 detail.loc holds an integer index (pydantic style) where seed 000 types loc a string[]',
    proof: [{ case: 'mi-prompt-not-text', fails: 'model-inference-body' }],
  },
  {
    id: 'model-inference-error-object',
    category: 'errors',
    breaks: 'error bodies carry `error` as an object ({"code","message"}, the Azure OpenAI shape) where seed 000 types it a string',
    proof: [{ case: 'mi-auth-missing', fails: 'model-inference-body' }],
  },
  {
    id: 'model-inference-error-status-mismatch',
    category: 'errors',
    breaks: 'the error body\'s `status` member differs from the HTTP status',
    proof: [{ case: 'mi-prompt-not-text', fails: 'model-inference-error-status' }],
  },
] as const satisfies readonly Fault[];
