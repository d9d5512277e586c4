/**
 * Checks specific to Azure AI Model Inference (seed 000). Each check: one rule, a name, an args schema; see ./types.ts.
 * Seed 000 binds one body component to each response status; errors carry an x-ms-error-code header; a 422
 * locates the offending parameter in detail.loc (DECISIONS-model-inference.md M8–M10).
 */
import { type CheckDefinition, fail, isRecord, noArgs, pass, verdict } from './types.ts';

const SURFACE = 'model-inference/2024-04-01-preview';

/** Seed 000 §Responses: the component each status is declared with ("Other Status Codes": ContentFilterError). */
export function componentForStatus(status: number): string {
  if (status >= 200 && status < 300) return 'CreateCompletionResponse';
  const declared: Record<number, string> = { 401: 'UnauthorizedError', 404: 'NotFoundError', 422: 'UnprocessableContentError', 429: 'TooManyRequestsError' };
  return declared[status] ?? 'ContentFilterError';
}

const isError = (status: number) => status >= 400;

export const bodyForStatus: CheckDefinition = {
  name: 'model-inference-body',
  requirement: 'MI-ERROR-BODY',
  category: 'errors',
  description: 'Validates the body against the component seed 000 declares for the response status (200 CreateCompletionResponse, 401 UnauthorizedError, 404 NotFoundError, 422 UnprocessableContentError, 429 TooManyRequestsError, other ContentFilterError).',
  needsJson: true,
  args: noArgs,
  run({ response, schemas }) {
    const component = componentForStatus(response.status);
    const outcome = schemas.validate(`${SURFACE}/${component}`, response.json, SURFACE);
    if (outcome.valid) return pass(`valid ${component} (HTTP ${response.status})`, 'valid');
    return fail(`valid ${component} (HTTP ${response.status})`, outcome.issues.map((i) => i.message), `the HTTP ${response.status} body does not validate against ${component}: ${outcome.issues.slice(0, 3).map((i) => i.message).join('; ')}`);
  },
};

export const errorStatusMember: CheckDefinition = {
  name: 'model-inference-error-status',
  requirement: 'MI-ERROR-STATUS-MEMBER',
  category: 'errors',
  description: 'Reads the `status` member of an error body, when present, and compares it with the status code the response came with (seed 000: "The HTTP status code").',
  needsJson: true,
  args: noArgs,
  run({ response }) {
    if (!isError(response.status)) return pass('an error response', `HTTP ${response.status}`, 'not an error response: no status member to compare');
    const member = isRecord(response.json) ? response.json.status : undefined;
    if (member === undefined) return pass(response.status, '(absent)', 'the body has no status member (optional)');
    return verdict(member === response.status, response.status, member, `the body says status ${JSON.stringify(member)} on an HTTP ${response.status} response`);
  },
};

export const errorCodeHeader: CheckDefinition = {
  name: 'model-inference-error-code-header',
  requirement: 'MI-ERROR-CODE-HEADER',
  category: 'headers',
  description: 'Reads the x-ms-error-code header of an error response and takes any non-empty value (seed 000 declares the header on every error response and pins no value).',
  args: noArgs,
  run({ response }) {
    if (!isError(response.status)) return pass('an error response', `HTTP ${response.status}`, 'not an error response: no x-ms-error-code expected');
    const value = response.headers['x-ms-error-code'];
    return verdict(typeof value === 'string' && value.trim() !== '', 'x-ms-error-code: <a code>', value ?? '(absent)', `the HTTP ${response.status} response has ${value === undefined ? 'no' : 'an empty'} x-ms-error-code header`);
  },
};

export const detailLoc: CheckDefinition = {
  name: 'model-inference-detail-loc',
  requirement: 'MI-DETAIL-LOC',
  category: 'semantics',
  description: 'Reads `detail[].loc` of a 422 body and looks for the request parameter it names (e.g. ["body", "temperature"]); other statuses carry no Detail and pass.',
  needsJson: true,
  args: {
    type: 'object',
    additionalProperties: false,
    required: ['param'],
    properties: { param: { type: 'string', minLength: 1 } },
  },
  run({ response, args }) {
    const param = String(args.param);
    if (response.status !== 422) return pass(`a 422 naming ${param}`, `HTTP ${response.status}`, 'not a 422: seed 000 declares Detail only for UnprocessableContentError');
    const detail = isRecord(response.json) ? response.json.detail : undefined;
    const loc = isRecord(detail) ? detail.loc : undefined;
    if (!Array.isArray(loc)) return fail(`detail.loc naming "${param}"`, detail ?? '(no detail)', `the 422 body has no detail.loc array naming "${param}"`);
    return verdict(loc.includes(param), `detail.loc naming "${param}"`, loc, `detail.loc ${JSON.stringify(loc)} does not name "${param}"`);
  },
};

export const CHECKS: CheckDefinition[] = [bodyForStatus, errorStatusMember, errorCodeHeader, detailLoc];
