/** Legal variations of error bodies: each documented shape, with fewer or more of its (all optional) members. */
import { SERVED_OPERATIONS } from '../routes.ts';
import { isRecord } from './json.ts';
import type { Variation } from './types.ts';

const AZURE_AND_OPENAI = ['azure-openai', 'openai'] as const;

export const VARIATIONS: Variation[] = [
  {
    id: 'error-members-minimal',
    responses: ['error'],
    area: 'errors',
    operations: SERVED_OPERATIONS,
    profiles: AZURE_AND_OPENAI,
    does: 'errorResponse and dalleErrorResponse bodies carry only error.message (no code, param or type)',
    allowedBy: [
      { seed: '003', quote: 'code | string | No | ||' },
      { seed: '003', quote: 'param | string | No | ||' },
      { seed: '003', quote: 'type | cadena | No | ||' },
    ],
    because: 'no member of errorBase, error or dalleError is required (schemas/DECISIONS-azure-openai.md D14); message is kept, as every observed service sends it',
    error(body) {
      if (isRecord(body.error)) body.error = { message: body.error.message };
    },
  },
  {
    id: 'error-members-null',
    responses: ['error'],
    area: 'errors',
    operations: SERVED_OPERATIONS,
    profiles: AZURE_AND_OPENAI,
    does: 'error objects send absent members as null (param, type) and add the HTTP status as `status`, as live content-filter errors do',
    allowedBy: [
      { seed: '003', quote: 'param | string | No | ||' },
      { seed: '003', quote: 'type | cadena | No | ||' },
    ],
    because: 'AZURE-BEHAVIOUR.md: "Real content-filter 400s send "type": null, a `status` field"; OpenAI-style errors send param: null (D14)',
    error(body, info) {
      if (!isRecord(body.error)) return;
      body.error.param ??= null;
      body.error.type ??= null;
      body.error.status = info.status;
    },
  },
  {
    id: 'mi-error-seed-members',
    responses: ['error'],
    area: 'errors',
    operations: ['completions'],
    profiles: ['model-inference'],
    does: 'Model Inference error bodies carry every member seed 000 gives their component: error (the description), message, status, code, and on a 422 detail.loc with detail.value',
    allowedBy: [
      { seed: '000', quote: 'error string The error description.' },
      { seed: '000', quote: 'value string The value passed to the parameter causing issues.' },
      { seed: '000', quote: 'status integer The HTTP status code.' },
    ],
    because: 'the live 422 has no `error` member and says `input` where the seed says `value` (DECISIONS-model-inference.md M8, M9); the seed\'s own shape is just as legal',
    error(body, info) {
      body.error ??= `HTTP ${info.status} error`;
      body.status ??= info.status;
      body.code ??= String(info.status);
      if (isRecord(body.detail)) {
        const { input, ...detail } = body.detail;
        body.detail = { ...detail, ...(input === undefined ? {} : { value: typeof input === 'string' ? input : JSON.stringify(input) }) };
      }
    },
  },
  {
    id: 'mi-error-message-only',
    responses: ['error'],
    area: 'errors',
    operations: ['completions'],
    profiles: ['model-inference'],
    does: 'Model Inference error bodies carry only `message` (and a 422 its detail): no error, status or code member',
    allowedBy: [{ seed: '000', quote: 'message string The error message.' }],
    because: 'seed 000 marks no member of its error components required (DECISIONS-model-inference.md M8: at least message or error)',
    error(body) {
      for (const key of Object.keys(body)) if (key !== 'message' && key !== 'detail') delete body[key];
    },
  },
];
