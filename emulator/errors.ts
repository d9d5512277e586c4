/**
 * Error bodies as each profile documents them:
 * - azure-openai / openai: seed 003 `errorResponse` ({"error": {code, message, param?, type?}});
 * - model-inference: seed 000 binds one component to each status (401 UnauthorizedError, 404 NotFoundError,
 *   422 UnprocessableContentError, 429 TooManyRequestsError, other ContentFilterError), every one with an
 *   `x-ms-error-code` header. The 422 is shaped like the live service's (DECISIONS-model-inference.md M8, M9):
 *   {"status":422,"code":…,"message":…,"detail":{"loc":["body","<param>"],"input":…}} with no `error` member.
 */
import { STATUS_CODES } from 'node:http';
import type { ProfileName } from '../src/model.ts';
import type { FaultSet } from './faults.ts';
import type { EmulatorReply } from './types.ts';

export type { EmulatorReply } from './types.ts';

/** Where a Model Inference 422 locates the offending parameter (seed 000: `loc` is a string[]). */
export interface ErrorDetail {
  loc: string[];
  /** The value as the client sent it (observed member name; seed 000 calls it `value`). */
  input?: unknown;
}

export interface ErrorInput {
  status: number;
  code: string;
  message: string;
  /** The offending request parameter as a dotted path ("temperature", "prompt.0"). */
  param?: string;
  type?: string;
  /** Model Inference 422 only: overrides the location derived from `param`. */
  detail?: ErrorDetail;
}

export function errorReply(profile: ProfileName, e: ErrorInput, faults: FaultSet): EmulatorReply {
  if (faults.has('error-body-text')) return { status: e.status, body: `${e.code}: ${e.message}`, contentType: 'text/plain; charset=utf-8' };
  if (faults.has('error-body-shape')) return { status: e.status, body: { error: e.code, message: e.message } };
  const message = faults.has('error-message-missing') ? undefined : e.message;
  if (profile === 'model-inference') return modelInferenceError(e, message, faults);
  const error: Record<string, unknown> = { code: e.code, message };
  if (e.param !== undefined) error.param = e.param;
  if (e.type !== undefined) error.type = e.type;
  return { status: e.status, body: { error } };
}

function modelInferenceError(e: ErrorInput, message: string | undefined, faults: FaultSet): EmulatorReply {
  // The fault reports a status the response does not have: the body contradicts the status line.
  const status = faults.has('model-inference-error-status-mismatch') ? (e.status === 400 ? 500 : 400) : e.status;
  const body: Record<string, unknown> = { status, code: e.code, message };
  if (e.status === 422) {
    const detail = e.detail ?? (e.param !== undefined ? { loc: ['body', ...paramPath(e.param)] } : undefined);
    if (detail && !faults.has('model-inference-detail-loc-missing')) body.detail = faults.has('model-inference-detail-loc-integer') ? { ...detail, loc: [...detail.loc, 0] } : detail;
  } else {
    // Seed 000's components carry `error`, "the error description"; the live 422 does not.
    body.error = STATUS_CODES[e.status] ?? 'Error';
  }
  // The Azure OpenAI error shape where seed 000 types `error` as a string.
  if (faults.has('model-inference-error-object')) body.error = { code: String(e.status), message: e.message };
  const headers = faults.has('model-inference-error-code-header-missing') ? undefined : { 'x-ms-error-code': e.code };
  return { status: e.status, headers, body };
}

/** "prompt.0.text" → ["prompt", "0", "text"]: seed 000 types `loc` as string[], so array indexes stay strings. */
function paramPath(param: string): string[] {
  return param.split('.');
}
