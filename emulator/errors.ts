/** Error bodies as each profile documents them (seed 003 errorResponse; seed 000 error components). */
import type { ProfileName } from '../src/model.ts';
import type { FaultSet } from './faults.ts';
import type { EmulatorReply } from './types.ts';

export type { EmulatorReply } from './types.ts';

export interface ErrorInput {
  status: number;
  code: string;
  message: string;
  param?: string;
  type?: string;
}

export function errorReply(profile: ProfileName, e: ErrorInput, faults: FaultSet): EmulatorReply {
  if (faults.has('error-body-text')) return { status: e.status, body: `${e.code}: ${e.message}`, contentType: 'text/plain; charset=utf-8' };
  if (faults.has('error-body-shape')) return { status: e.status, body: { error: e.code, message: e.message } };
  const message = faults.has('error-message-missing') ? undefined : e.message;
  if (profile === 'model-inference') {
    return { status: e.status, headers: { 'x-ms-error-code': e.code }, body: { status: e.status, code: e.code, message } };
  }
  const error: Record<string, unknown> = { code: e.code, message };
  if (e.param !== undefined) error.param = e.param;
  if (e.type !== undefined) error.type = e.type;
  return { status: e.status, body: { error } };
}
