/**
 * Azure AI Model Inference `POST /completions?api-version=2024-04-01-preview` (seed 000): the parameters the
 * API defines, the `extra-parameters` header (pass-through | ignore | error; DECISIONS-model-inference.md M10)
 * and the CreateCompletionResponse shape (id, object, created, model, choices {index, text, finish_reason}, usage).
 * Generation itself is shared with Azure OpenAI (./completion-model.ts).
 */
import { completionObject, generate, optionsOf, tooLarge, usageOf } from './completion-model.ts';
import { errorReply } from './errors.ts';
import { schemaIssues } from './schemas.ts';
import { stableId } from './text.ts';
import type { EmulatorReply, HandlerContext } from './types.ts';

/** Seed 000 §Request Body: every parameter the API itself defines; anything else is an "extra parameter". */
export const MODEL_INFERENCE_PARAMETERS: ReadonlySet<string> = new Set([
  'prompt',
  'frequency_penalty',
  'max_tokens',
  'presence_penalty',
  'seed',
  'stop',
  'stream',
  'temperature',
  'top_p',
]);

export type ExtraParametersMode = 'pass-through' | 'ignore' | 'error';

/** The seed's three values plus the synonyms other Microsoft sources document (M10): drop = ignore, allow = pass-through. */
const MODES: Record<string, ExtraParametersMode> = { 'pass-through': 'pass-through', allow: 'pass-through', ignore: 'ignore', drop: 'ignore', error: 'error' };
const SYNONYMS = new Set(['allow', 'drop']);

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The body the model sees after applying the extra-parameters policy, or the reply refusing the request. */
function applyExtraParameters(ctx: HandlerContext): { body: Record<string, unknown> } | { reply: EmulatorReply } {
  const { faults } = ctx;
  const raw = headerValue(ctx.headers['extra-parameters'])?.trim().toLowerCase();
  if (raw !== undefined && (!(raw in MODES) || (SYNONYMS.has(raw) && faults.has('model-inference-synonyms-rejected')))) {
    return { reply: ctx.error(400, 'invalid_header', `extra-parameters must be one of pass-through, ignore, error; got "${raw}"`) };
  }
  let mode: ExtraParametersMode = raw === undefined ? 'error' : MODES[raw];
  if (mode === 'error' && faults.has(raw === undefined ? 'model-inference-extra-parameters-default-accepted' : 'model-inference-extra-parameters-accepted')) mode = 'ignore';
  if (mode === 'ignore' && faults.has('model-inference-ignore-rejected')) mode = 'error';
  if (mode === 'pass-through' && faults.has('model-inference-pass-through-rejected')) mode = 'error';

  const extras = Object.keys(ctx.body).filter((k) => !MODEL_INFERENCE_PARAMETERS.has(k));
  if (extras.length === 0) return { body: ctx.body };
  if (mode === 'pass-through') return modelAccepts(ctx, extras);
  if (mode === 'ignore') return { body: Object.fromEntries(Object.entries(ctx.body).filter(([k]) => MODEL_INFERENCE_PARAMETERS.has(k))) };
  const first = extras[0];
  const reply = errorReply(
    'model-inference',
    {
      status: 422,
      code: 'parameter_not_supported',
      message: `Extra parameters [${extras.map((e) => `'${e}'`).join(', ')}] are not allowed when extra-parameters is not set or set to 'error'. Set extra-parameters to 'pass-through' to pass them to the model, or to 'ignore' to drop them.`,
      detail: { loc: ['body', first], input: ctx.body[first] },
    },
    faults,
  );
  return { reply };
}

/**
 * The emulator's "model" understands the OpenAI completions parameters (n, best_of, echo, logprobs…) within their
 * Azure OpenAI bounds; a passed-through parameter it cannot honour is refused by the model with a 422, as a real one would.
 */
function modelAccepts(ctx: HandlerContext, extras: string[]): { body: Record<string, unknown> } | { reply: EmulatorReply } {
  const passed = Object.fromEntries(extras.map((k) => [k, ctx.body[k]]));
  const issue = schemaIssues('createCompletionRequest', passed, 'azure-openai/2024-06-01')[0];
  const n = typeof passed.n === 'number' ? passed.n : 1;
  const problem = issue ?? (typeof passed.best_of === 'number' && passed.best_of < n ? { pointer: '/best_of', message: '/best_of must be greater than or equal to n' } : undefined);
  if (!problem) return { body: ctx.body };
  const param = problem.pointer.split('/').filter(Boolean)[0] ?? extras[0];
  return { reply: errorReply('model-inference', { status: 422, code: 'invalid_parameter', message: `The model rejected a passed-through parameter: ${problem.message}`, detail: { loc: ['body', param], input: ctx.body[param] } }, ctx.faults) };
}

/** Seed 000 CreateCompletionResponse. Parameters passed through to the model are honoured where the shared generator knows them. */
export function modelInferenceCompletion(ctx: HandlerContext): EmulatorReply {
  const applied = applyExtraParameters(ctx);
  if ('reply' in applied) return applied.reply;
  const { faults } = ctx;
  const opts = optionsOf(applied.body, 'model-inference');
  const large = tooLarge(opts);
  if (large) return errorReply('model-inference', { status: 422, code: 'invalid_parameter', message: large.message, param: large.param }, faults);
  const generated = generate(opts, faults);
  const body: Record<string, unknown> = {
    id: stableId('cmpl', applied.body),
    object: completionObject(faults),
    created: Math.floor(Date.now() / 1000),
    model: ctx.model,
    choices: generated.choices.map((c, index) => ({
      index,
      text: c.text,
      finish_reason: c.finish_reason,
      ...(c.logprobs ? { logprobs: c.logprobs } : {}),
    })),
    ...(faults.has('completions-usage-missing') ? {} : { usage: usageOf(generated, faults) }),
  };
  return { status: 200, body };
}
