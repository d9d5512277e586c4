/**
 * POST …/completions for the three profiles: Azure OpenAI's and OpenAI's createCompletionResponse here, the
 * Model Inference specifics (extra-parameters, its response shape) in ./model-inference.ts; generation itself
 * (n, best_of, echo, suffix, stop, max_tokens, logprobs) is ./completion-model.ts.
 * Sampling parameters (temperature, top_p, penalties, logit_bias, seed, user) and completion_config are validated by
 * the request schema and then have no effect: the emulator always answers greedily, which every value permits.
 */
import { completionObject, generate, optionsOf, tooLarge, usageOf } from './completion-model.ts';
import { choiceFilterResults, promptFilterResults } from './content-filter.ts';
import { modelInferenceCompletion } from './model-inference.ts';
import { stableId } from './text.ts';
import type { EmulatorReply, HandlerContext, OperationHandler } from './types.ts';

/** Azure OpenAI and OpenAI: createCompletionResponse, with Azure's content-filter annotations on Azure. */
function completion(ctx: HandlerContext): EmulatorReply {
  const { body, faults, profile } = ctx;
  const opts = optionsOf(body, profile);
  // Seed 003: "best_of … debe ser mayor que n"; equal is the default (both 1), so only smaller is refused.
  if (typeof body.best_of === 'number' && body.best_of < opts.n && !faults.has('completions-best-of-below-n-accepted')) {
    return ctx.invalid(`best_of (${body.best_of}) must be greater than or equal to n (${opts.n})`, 'best_of');
  }
  const large = tooLarge(opts);
  if (large) return ctx.invalid(large.message, large.param);
  const generated = generate(opts, faults);
  const azure = profile === 'azure-openai';
  const filterOffset = faults.has('completions-prompt-filter-index-wrong') ? 1 : 0;
  const reply: Record<string, unknown> = {
    id: stableId('cmpl', body),
    object: completionObject(faults),
    created: Math.floor(Date.now() / 1000),
    model: ctx.model,
    ...(azure ? { prompt_filter_results: promptFilterResults(opts.prompts.length).map((r) => ({ ...r, prompt_index: r.prompt_index + filterOffset })) } : {}),
    choices: generated.choices.map((c, index) => ({
      text: c.text,
      index,
      finish_reason: c.finish_reason,
      logprobs: c.logprobs,
      ...(azure ? { content_filter_results: choiceFilterResults() } : {}),
    })),
    ...(faults.has('completions-usage-missing') ? {} : { usage: usageOf(generated, faults) }),
    system_fingerprint: null,
  };
  return { status: 200, body: reply };
}

export const completionsHandler: OperationHandler = {
  operation: 'completions',
  bodyKind: 'json',
  requestSchema: (profile) => (profile === 'model-inference' ? 'model-inference/2024-04-01-preview/CreateCompletionRequest' : 'createCompletionRequest'),
  handle: (ctx) => (ctx.profile === 'model-inference' ? modelInferenceCompletion(ctx) : completion(ctx)),
};
