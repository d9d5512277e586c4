/**
 * Legal variations of JSON bodies (non-streamed, and through them the streams made from them): optional fields
 * left out or sent as null, free strings with other values, unknown fields, other choice orders, Azure's
 * content-filter annotations in full. Stream-only effects of the same switches are in ./streaming.ts.
 */
import type { OperationId } from '../../src/model.ts';
import { promptsOf } from '../completion-model.ts';
import { SERVED_OPERATIONS } from '../routes.ts';
import type { StreamItem } from '../stream.ts';
import { choicesOf, dataOf, eachObject, isRecord } from './json.ts';
import type { Variation } from './types.ts';

type Json = Record<string, unknown>;
const TEXT_OPERATIONS: readonly OperationId[] = ['chat.completions', 'completions'];
const AZURE_AND_OPENAI = ['azure-openai', 'openai'] as const;

/** The member `unknown-fields` adds to every object: a nested value with non-ASCII text, as a vendor extension would be. */
export const UNKNOWN_MEMBER = 'x_vendor_extension';
const UNKNOWN_VALUE = { note: 'ünïcødé ✓ — a field the documents do not name', list: [1, 'two', null, { three: 3 }], flag: false };

function addUnknown(object: Json): void {
  object[UNKNOWN_MEMBER] = structuredClone(UNKNOWN_VALUE);
}

function eachChunk(items: StreamItem[], fn: (chunk: Json) => void): StreamItem[] {
  for (const item of items) if (item.kind === 'chunk') fn(item.chunk);
  return items;
}

/** The index a choice carries, or its position when it carries none. */
function indexOf(choice: Json, position: number): number {
  return typeof choice.index === 'number' ? choice.index : position;
}

// ─── Azure's content-filter annotations, every documented category ────────────────────────────────

const severity = (level: 'safe' | 'low') => ({ filtered: false, severity: level });
const detected = (found: boolean) => ({ filtered: false, detected: found });

function choiceAnnotations(): Json {
  return {
    hate: severity('safe'),
    self_harm: severity('safe'),
    sexual: severity('low'),
    violence: severity('low'),
    profanity: detected(false),
    protected_material_text: detected(false),
    protected_material_code: { filtered: false, detected: true, citation: { URL: 'https://github.com/example/repo/blob/main/LICENSE', license: 'MIT' } },
  };
}

function promptAnnotations(): Json {
  return { hate: severity('safe'), self_harm: severity('safe'), sexual: severity('safe'), violence: severity('low'), profanity: detected(false), jailbreak: detected(false) };
}

function promptResults(count: number): Json[] {
  return Array.from({ length: count }, (_, prompt_index) => ({ prompt_index, content_filter_results: promptAnnotations() }));
}

// ─── free strings ──────────────────────────────────────────────────────────────────────────────────

/** A deterministic id without the usual prefix, derived from the one the emulator made. */
function bareId(id: unknown): string {
  const digits = [...String(id)].map((c) => c.charCodeAt(0) % 10).join('');
  return digits.slice(-10).padStart(10, '7');
}

/** How services report the model: the model and its version, not the deployment's name. */
function versionedModel(model: unknown): string {
  return `${String(model)}-2024-07-18`;
}

export const VARIATIONS: Variation[] = [
  {
    id: 'unknown-fields',
    area: 'bodies',
    operations: SERVED_OPERATIONS,
    does: `every JSON object of every body, stream chunk and error carries a member the documents do not name ("${UNKNOWN_MEMBER}", an object with non-ASCII text)`,
    allowedBy: [
      { seed: '003', quote: 'id | string | Identificador único para la finalización del chat. | Sí | |' },
      { seed: '000', quote: 'Represents a completion response from the API.' },
    ],
    because: 'AZURE-BEHAVIOUR.md: "No `additionalProperties: false` anywhere: unknown fields are legal" (schemas/DECISIONS-azure-openai.md D15); the seed tables list members without closing the objects, and services add fields (service_tier, refusal, custom_blocklists…)',
    success: (body) => eachObject(body, addUnknown),
    error: (body) => eachObject(body, addUnknown),
    plan: (items) => eachChunk(items, (chunk) => eachObject(chunk, addUnknown)),
  },
  {
    id: 'null-optionals',
    responses: ['success', 'stream'],
    area: 'bodies',
    operations: ['chat.completions', 'completions', 'images.generations'],
    does: 'optional members are sent as null instead of left out: system_fingerprint, a text reply\'s tool_calls and function_call, logprob bytes, the image form not asked for (b64_json next to url, url next to b64_json), chunk usage',
    allowedBy: [
      { seed: '003', quote: 'Puede ser null si no hay ninguna representación de bytes para el token.' },
      { seed: '003', quote: 'system_fingerprint | string | Se puede usar junto con el parámetro de solicitud seed' },
      { seed: '003', quote: 'tool_calls | array | Llamadas a herramientas generadas por el modelo, como las llamadas a funciones. | No | |' },
      { seed: '003', quote: 'b64_json | string | Imagen codificada en base64 | No | |' },
    ],
    because: 'AZURE-BEHAVIOUR.md: "`system_fingerprint` is declared a plain string; services send `null`"; OpenAI-compatible servers serialise absent optionals as null (schemas/DECISIONS-azure-openai.md D10, DECISIONS-model-inference.md M4)',
    success(body, info) {
      if (info.operation === 'images.generations') {
        for (const image of dataOf(body)) {
          if (!('b64_json' in image)) image.b64_json = null;
          if (!('url' in image)) image.url = null;
        }
        return;
      }
      body.system_fingerprint = null;
      for (const choice of choicesOf(body)) {
        const message = isRecord(choice.message) ? choice.message : undefined;
        if (message && typeof message.content === 'string') {
          message.tool_calls ??= null;
          message.function_call ??= null;
        }
        const entries = isRecord(choice.logprobs) && Array.isArray(choice.logprobs.content) ? choice.logprobs.content.filter(isRecord) : [];
        entries.forEach((entry, i) => {
          if (i % 2 === 1) entry.bytes = null;
          for (const alt of Array.isArray(entry.top_logprobs) ? entry.top_logprobs.filter(isRecord) : []) alt.bytes = null;
        });
      }
    },
    plan: (items) =>
      eachChunk(items, (chunk) => {
        if (!('usage' in chunk)) chunk.usage = null;
        if ('choices' in chunk && chunk.id !== '') chunk.system_fingerprint ??= null;
      }),
  },
  {
    id: 'free-strings',
    responses: ['success', 'stream'],
    area: 'bodies',
    operations: ['chat.completions', 'completions', 'embeddings'],
    does: 'free strings take other values: ids without the usual prefix (digits, as seed 000\'s sample), the model reported with its version instead of the deployment name, tool-call ids in another scheme',
    allowedBy: [
      { seed: '003', quote: 'id | string | Identificador único para la finalización del chat. | Sí | |' },
      { seed: '003', quote: 'modelo | string | Modelo usado para la finalización de chat. | Sí | |' },
      { seed: '000', quote: '"id": "1234567890",' },
      { seed: '000', quote: '"model": "llama2-7b",' },
    ],
    because: 'Azure reports the model that served the request ("gpt-4o-mini-2024-07-18"), not the deployment name; id formats differ between services',
    success(body, info) {
      if ('id' in body) body.id = bareId(body.id);
      if (typeof body.model === 'string') body.model = versionedModel(body.model);
      if (info.operation !== 'chat.completions') return;
      for (const choice of choicesOf(body)) {
        const calls = isRecord(choice.message) && Array.isArray(choice.message.tool_calls) ? choice.message.tool_calls.filter(isRecord) : [];
        for (const call of calls) call.id = `toolu_${bareId(call.id)}`;
      }
    },
  },
  {
    id: 'object-other-values',
    area: 'bodies',
    responses: ['success', 'stream'],
    operations: ['completions', 'embeddings'],
    profiles: AZURE_AND_OPENAI,
    does: 'the `object` members seed 003 types as plain strings take other values: a completion says "completion", an embeddings list "embedding_list" and its items "embedding_vector"',
    allowedBy: [
      { seed: '003', quote: 'objeto | string | Sí | ||' },
      { seed: '003', quote: 'data | array | Sí | ||' },
    ],
    because: 'seed 003 names no value for these (chat\'s object is an enum, so it is left alone; seed 000 pins "text_completion", so Model Inference is left out). Which value services send is observed behaviour, so cases that pin them at SHOULD warn',
    expectedWarnings: {
      checks: ['object-type', 'embeddings-item-object'],
      why: '"list" and "embedding" are what every service sends (AOAI-EMBEDDINGS-OBJECT, observed), not seed text',
    },
    success(body, info) {
      if (info.operation === 'completions') {
        body.object = 'completion';
        return;
      }
      body.object = 'embedding_list';
      for (const item of dataOf(body)) item.object = 'embedding_vector';
    },
  },
  {
    id: 'finish-reason-other-values',
    responses: ['success', 'stream'],
    area: 'bodies',
    operations: TEXT_OPERATIONS,
    profiles: AZURE_AND_OPENAI,
    does: 'a choice that ended by itself reports finish_reason "eos_token" (a plain string the documents leave open) instead of "stop"; length and call reasons are unchanged',
    allowedBy: [{ seed: '003', quote: 'finish_reason | string | No |' }],
    because: 'seed 003 types chat finish_reason as a plain string and gives completions choices no type at all; OpenAI-compatible servers (TGI) report "eos_token". Cases that expect "stop" judge that at SHOULD on observed behaviour, so they warn (see expectedWarnings)',
    expectedWarnings: {
      checks: ['completions-finish-reason'],
      why: 'that a natural end reports "stop" is observed behaviour (AOAI-COMPLETIONS-FINISH-STOP), not seed 003 text: a SHOULD warning is what the documents justify',
    },
    success(body) {
      for (const choice of choicesOf(body)) if (choice.finish_reason === 'stop') choice.finish_reason = 'eos_token';
    },
  },
  {
    id: 'choices-out-of-order',
    responses: ['success', 'stream'],
    area: 'bodies',
    operations: TEXT_OPERATIONS,
    profiles: AZURE_AND_OPENAI,
    does: 'choices (and completions prompt_filter_results) are listed last index first; a stream sends each choice whole, one after another, last index first',
    allowedBy: [
      { seed: '003', quote: 'índice | integer | No | ||' },
      { seed: '003', quote: 'En una solicitud de streaming, los resultados de las distintas indicaciones pueden llegar en distintos momentos o en distintos órdenes.' },
    ],
    because: 'the index, not the position, names a choice; nothing in seed 003 orders the list (seed 000, whose index is "the index of the choice in the list", is left out)',
    success(body) {
      if (Array.isArray(body.choices)) body.choices.reverse();
      if (Array.isArray(body.prompt_filter_results)) body.prompt_filter_results.reverse();
    },
    plan(items) {
      // Per-choice chunks (one choice each, content or annotation) are regrouped by choice, last index first,
      // in the slots such chunks occupied; prompt-filter, usage and other events keep their places.
      const slots: number[] = [];
      items.forEach((item, at) => {
        if (item.kind === 'chunk' && Array.isArray(item.chunk.choices) && item.chunk.choices.length === 1) slots.push(at);
      });
      const ordered = slots
        .map((at, order) => {
          const item = items[at] as Extract<StreamItem, { kind: 'chunk' }>;
          return { item, order, index: indexOf((item.chunk.choices as Json[])[0], 0) };
        })
        .sort((a, b) => b.index - a.index || a.order - b.order);
      const out = [...items];
      slots.forEach((at, k) => (out[at] = ordered[k].item));
      return out;
    },
  },
  {
    id: 'content-filter-annotations',
    responses: ['success', 'stream'],
    area: 'bodies',
    operations: ['chat.completions', 'completions', 'images.generations'],
    does: "Azure's content-filter annotations in every profile, with every documented category: severities other than safe, profanity, jailbreak, protected material text and code (with a citation)",
    allowedBy: [
      { seed: '003', quote: 'prompt_filter_results | promptFilterResults | Resultados del filtrado de contenido para cero o más indicaciones en la solicitud.' },
      { seed: '003', quote: 'Texto del material protegido | contentFilterDetectedResult | No | ||' },
      { seed: '003', quote: 'Código de material protegido | contentFilterDetectedWithCitationResult | No |' },
      { seed: '003', quote: 'severity | string | No |' },
    ],
    because: 'AZURE-BEHAVIOUR.md: Azure annotates every response (and stream) with filter results; unfiltered content may still carry a low severity. In other profiles they are members the documents do not name, which are legal',
    success(body, info) {
      if (info.operation === 'images.generations') {
        for (const image of dataOf(body)) {
          image.content_filter_results = { hate: severity('safe'), self_harm: severity('safe'), sexual: severity('low'), violence: severity('safe') };
          image.prompt_filter_results = promptAnnotations();
        }
        return;
      }
      // One annotation per prompt, counted as the emulator's completions model counts them.
      const prompts = info.operation === 'completions' ? promptsOf(info.request.prompt).length : 1;
      body.prompt_filter_results = promptResults(prompts);
      for (const choice of choicesOf(body)) choice.content_filter_results = choiceAnnotations();
    },
  },
];
