/** What checks read from the request a case sent (`requestBody`): one home for these helpers. */
import { isRecord } from './types.ts';

export function requestOf(body: unknown): Record<string, unknown> {
  return isRecord(body) ? body : {};
}
