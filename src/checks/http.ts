/** Checks on the HTTP envelope: status and content type. */
import { type CheckDefinition, type CheckOutcome, verdict } from './types.ts';

/** What a status says the body is: the document asked for, an error, or neither. */
function answerKind(status: number): 'success' | 'error' | 'other' {
  return status >= 200 && status < 300 ? 'success' : status >= 400 && status < 600 ? 'error' : 'other';
}

/**
 * A wrong status stops the later checks only when the body is of another kind than they judge: an error where
 * a success was wanted (or the reverse). A 500 where a 400 was wanted still carries an error body to judge.
 */
function gateOn(outcome: CheckOutcome, expected: number[], actual: number): CheckOutcome {
  if (outcome.ok === true) return outcome;
  const classOf = (s: number) => Math.floor(s / 100);
  // A status of the wrong class is one defect, whether status-class or status (or both) sees it.
  const findings = expected.some((s) => classOf(s) === classOf(actual)) ? undefined : [`status: ${classOf(actual)}xx where ${[...new Set(expected.map(classOf))].map((c) => `${c}xx`).join(' or ')} was wanted`];
  const sameKind = expected.some((s) => answerKind(s) === answerKind(actual) && answerKind(actual) !== 'other');
  return { ...outcome, ...(findings ? { findings } : {}), ...(sameKind ? {} : { stops: 'all' as const }) };
}

export const status: CheckDefinition = {
  name: 'status',
  category: 'of-requirement',
  description: 'Compares the response status with `equals` (one code, or a list of codes any of which will do).',
  gate: true,
  headersOnly: true,
  args: {
    type: 'object',
    additionalProperties: false,
    required: ['equals'],
    properties: { equals: { oneOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' }, minItems: 1 }] } },
  },
  run({ response, args }) {
    const allowed = ([] as number[]).concat(args.equals as number | number[]);
    const outcome = verdict(allowed.includes(response.status), allowed.length === 1 ? allowed[0] : allowed, response.status, `status ${response.status}, expected ${allowed.join(' or ')}`);
    return gateOn(outcome, allowed, response.status);
  },
};

export const statusClass: CheckDefinition = {
  name: 'status-class',
  category: 'of-requirement',
  description: 'Compares the class of the response status with `class` (2xx success, 4xx client error, 5xx).',
  gate: true,
  headersOnly: true,
  args: {
    type: 'object',
    additionalProperties: false,
    required: ['class'],
    properties: { class: { enum: ['2xx', '4xx', '5xx'] } },
  },
  run({ response, args }) {
    const cls = String(args.class);
    const ok = Math.floor(response.status / 100) === Number(cls[0]);
    return gateOn(verdict(ok, cls, response.status, `status ${response.status} is not ${cls}`), [Number(cls[0]) * 100], response.status);
  },
};

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export const contentType: CheckDefinition = {
  name: 'content-type',
  requirement: 'AOAI-JSON-CONTENT-TYPE',
  category: 'headers',
  headersOnly: true,
  description: 'Compares the media type of the Content-Type header with `is`, ignoring parameters such as charset.',
  args: {
    type: 'object',
    additionalProperties: false,
    required: ['is'],
    properties: { is: { type: 'string', minLength: 1 } },
  },
  run({ response, args }) {
    const expected = String(args.is).toLowerCase();
    const actual = response.headers['content-type'];
    return verdict(mediaType(actual) === expected, expected, actual ?? '(no Content-Type header)', `Content-Type is ${actual ?? 'missing'}, expected ${expected}`);
  },
};
