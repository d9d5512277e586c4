/** Checks on the HTTP envelope: status and content type. */
import { type CheckDefinition, verdict } from './types.ts';

export const status: CheckDefinition = {
  name: 'status',
  description: 'The response status is the expected one (or one of the expected ones).',
  gate: true,
  args: {
    type: 'object',
    additionalProperties: false,
    required: ['equals'],
    properties: { equals: { oneOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' }, minItems: 1 }] } },
  },
  run({ response, args }) {
    const allowed = ([] as number[]).concat(args.equals as number | number[]);
    const outcome = verdict(allowed.includes(response.status), allowed.length === 1 ? allowed[0] : allowed, response.status, `status ${response.status}, expected ${allowed.join(' or ')}`);
    const classOf = (s: number) => Math.floor(s / 100);
    return { ...outcome, stopsLaterChecks: !allowed.some((s) => classOf(s) === classOf(response.status)) };
  },
};

export const statusClass: CheckDefinition = {
  name: 'status-class',
  description: 'The response status is in the expected class (2xx success, 4xx client error).',
  gate: true,
  args: {
    type: 'object',
    additionalProperties: false,
    required: ['class'],
    properties: { class: { enum: ['2xx', '4xx', '5xx'] } },
  },
  run({ response, args }) {
    const cls = String(args.class);
    const ok = Math.floor(response.status / 100) === Number(cls[0]);
    // A success where an error was expected (or the reverse) is not what the later checks judge; a 5xx for a 4xx
    // is still an error response, whose body they can judge.
    const success = (c: number) => c === 2;
    return { ...verdict(ok, cls, response.status, `status ${response.status} is not ${cls}`), stopsLaterChecks: success(Math.floor(response.status / 100)) !== success(Number(cls[0])) };
  },
};

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export const contentType: CheckDefinition = {
  name: 'content-type',
  category: 'headers',
  description: 'The Content-Type media type is the documented one (parameters such as charset are ignored).',
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
