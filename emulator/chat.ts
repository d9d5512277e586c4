/**
 * POST …/chat/completions: a deterministic chat model with a defined behaviour for every documented
 * parameter (seed 003 §Finalizaciones de chat). The same request always gets the same answer.
 *
 * What each parameter does here:
 * - messages: every role is read; their text, image parts, names and earlier calls count as prompt tokens.
 * - n: that many choices; `temperature: 0` or `top_p: 0` (greedy decoding) makes them identical.
 * - seed: picks the wording of the reply, so the same seed gives the same reply.
 * - max_tokens: the reply is cut to that many tokens (finish_reason `length`).
 * - stop: the reply is cut just before the first stop sequence (finish_reason `stop`).
 * - frequency_penalty > 0: a word never repeats; presence_penalty > 0: words already in the prompt are left out.
 * - logit_bias: token ids index the emulator's vocabulary (VOCABULARY); -100 bans a token, 100 makes the
 *   reply that token only; ids it does not know and values in between have no effect.
 * - user: recorded by nobody; no effect on the reply.
 * - response_format json_object: the content is a JSON object.
 * - logprobs / top_logprobs: one entry per output token, `top_logprobs` alternatives each.
 * - tools + tool_choice, functions + function_call: a named choice forces a call to that function with
 *   arguments built from its `parameters` schema; `none` answers with text; `auto` (the default when
 *   tools are given) calls the first tool unless the last message is a tool or function result.
 * - data_sources (azure-openai only): message.context with one citation per data source and an intent;
 *   `role_information` counts as prompt tokens; the other retrieval settings have no visible effect.
 */
import { createHash } from 'node:crypto';
import type { ProfileName } from '../src/model.ts';
import { generateCall, namedChoice, plainFunctions, plan, toolFunctions } from './chat-calls.ts';
import { type ChatRequest, type DataSource, isRecord, messageText, promptTokens } from './chat-request.ts';
import { draftText, finishText, tokenLogprobs } from './chat-text.ts';
import { choiceFilterResults, promptFilterResults } from './content-filter.ts';
import type { FaultSet } from './faults.ts';
import { stableId } from './text.ts';
import type { EmulatorReply, HandlerContext, OperationHandler } from './types.ts';

export type { ChatRequest } from './chat-request.ts';
export { exampleFor } from './chat-calls.ts';

/** Choices generated at most, even when a fault lets an out-of-range `n` through. */
const MAX_CHOICES = 1024;

// ─── data sources ────────────────────────────────────────────────────────────────────────────────

function citationsFor(dataSources: DataSource[], faults: FaultSet) {
  return dataSources.map((ds, i) => {
    const p = ds.parameters ?? {};
    const index = typeof p.index_name === 'string' ? p.index_name : 'index';
    const doc = `doc${i + 1}`;
    const citation: Record<string, unknown> = {
      content: `Retrieved passage ${i + 1} from the ${ds.type ?? 'data source'} index ${index}.`,
      title: `Document ${i + 1}`,
      url: `https://emulator.invalid/${encodeURIComponent(index)}/${doc}.txt`,
      filepath: `${doc}.txt`,
      chunk_id: '0',
    };
    if (faults.has('chat-citation-content-missing')) delete citation.content;
    return citation;
  });
}

// ─── the completion ──────────────────────────────────────────────────────────────────────────────

function fingerprint(model: string): string {
  return `fp_${createHash('sha256').update(model).digest('hex').slice(0, 10)}`;
}

export function chatCompletion(req: ChatRequest, model: string, profile: ProfileName, faults: FaultSet): EmulatorReply {
  const messages = Array.isArray(req.messages) ? req.messages : [];
  const dataSources = profile === 'azure-openai' && Array.isArray(req.data_sources) ? req.data_sources.filter(isRecord) : [];
  const grounded = dataSources.length > 0;
  const jsonAsked = req.response_format?.type === 'json_object';
  const jsonMode = jsonAsked && !faults.has('chat-json-mode-ignored') && !faults.has('chat-json-mode-ignored-cut');
  const wantLogprobs = req.logprobs === true && !faults.has('chat-logprobs-ignored');
  const n = faults.has('n-ignored') ? 1 : Math.min(MAX_CHOICES, Math.max(0, req.n ?? 1));
  const lastUser = [...messages].reverse().find((m) => isRecord(m) && m.role === 'user');
  const intent = JSON.stringify([messageText(lastUser ?? {}) || 'general question']);
  const decision = plan(req, messages, faults);

  const choices = Array.from({ length: n }, (_, i) => {
    const message: Record<string, unknown> = { role: 'assistant', content: null };
    let finishReason: string;
    let completionTokens: number;
    let logprobs: unknown = null;
    if (decision.kind === 'text') {
      const draft = draftText(req, messages, i, grounded).join('').trim();
      const generated = finishText(jsonMode ? JSON.stringify({ reply: draft, choice: i }) : draft, req, faults);
      message.content = generated.content;
      // Claiming "length" hides ignored JSON mode from a check that exempts unfinished choices.
      finishReason = jsonAsked && faults.has('chat-json-mode-ignored-cut') ? 'length' : generated.finishReason;
      completionTokens = generated.tokens.length;
      if (wantLogprobs) logprobs = { content: tokenLogprobs(generated.tokens, req.top_logprobs ?? 0, faults) };
    } else {
      const call = generateCall(decision.fn, req.max_tokens, faults);
      const id = `call_${stableId('', [req, i, decision.fn.name]).slice(1, 25)}`;
      if (decision.kind === 'tool') message.tool_calls = [{ id, type: 'function', function: { name: decision.fn.name, arguments: call.arguments } }];
      else message.function_call = { name: decision.fn.name, arguments: call.arguments };
      finishReason = call.cut ? 'length' : decision.kind === 'tool' ? 'tool_calls' : 'function_call';
      completionTokens = call.tokens;
      if (wantLogprobs) logprobs = { content: null };
    }
    if (grounded && !faults.has('chat-data-sources-context-missing')) message.context = { citations: citationsFor(dataSources, faults), intent };
    if (faults.has('chat-role-missing')) delete message.role;
    return {
      tokens: completionTokens,
      choice: {
        index: faults.has('choice-index-from-one') ? i + 1 : i,
        message,
        finish_reason: finishReason,
        logprobs,
        ...(profile === 'openai' ? {} : { content_filter_results: choiceFilterResults() }),
      },
    };
  });
  const prompt_tokens = promptTokens(req, messages, dataSources);
  const completion_tokens = choices.reduce((s, c) => s + c.tokens, 0);
  const body: Record<string, unknown> = {
    id: stableId('chatcmpl', req),
    object: faults.has('chat-object-wrong') ? 'chat.completions' : 'chat.completion',
    created: faults.has('chat-created-string') ? new Date().toISOString() : Math.floor(Date.now() / 1000),
    model,
    system_fingerprint: fingerprint(model),
    ...(profile === 'openai' ? {} : { prompt_filter_results: promptFilterResults() }),
    choices: choices.map((c) => (faults.has('chat-choice-index-missing') ? { ...c.choice, index: undefined } : c.choice)),
    usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens + (faults.has('usage-total-wrong') ? 1 : 0) },
  };
  if (faults.has('chat-missing-id')) delete body.id;
  return { status: 200, body };
}

/** Rules the request schema cannot express; each answers the profile's invalid-request error. */
function validate(req: ChatRequest, ctx: HandlerContext): EmulatorReply | undefined {
  const { faults } = ctx;
  const hasTopLogprobs = req.top_logprobs !== undefined && req.top_logprobs !== null;
  if (hasTopLogprobs && req.logprobs !== true && !faults.has('chat-top-logprobs-without-logprobs-accepted')) {
    return ctx.invalid('logprobs must be set to true if top_logprobs is used', 'top_logprobs');
  }
  if (!faults.has('chat-unknown-function-accepted')) {
    const tool = namedChoice(req.tool_choice);
    if (tool !== undefined && !toolFunctions(req).some((f) => f.name === tool)) {
      return ctx.invalid(`tool_choice names the function "${tool}", which is not among tools`, 'tool_choice');
    }
    if (req.tool_choice === 'required' && !toolFunctions(req).length) return ctx.invalid('tool_choice "required" needs tools', 'tool_choice');
    const fn = namedChoice(req.function_call);
    if (fn !== undefined && !plainFunctions(req).some((f) => f.name === fn)) {
      return ctx.invalid(`function_call names the function "${fn}", which is not among functions`, 'function_call');
    }
  }
  if (typeof req.max_tokens === 'number' && req.max_tokens < 0) return ctx.invalid('max_tokens must not be negative', 'max_tokens');
  if (faults.has('chat-image-parts-rejected')) {
    const hasImage = (Array.isArray(req.messages) ? req.messages : []).some((m) => isRecord(m) && Array.isArray(m.content) && m.content.some((p) => isRecord(p) && p.type === 'image_url'));
    if (hasImage) return ctx.invalid('image_url content parts are not supported', 'messages');
  }
  return undefined;
}

export const chatHandler: OperationHandler = {
  operation: 'chat.completions',
  bodyKind: 'json',
  requestSchema: () => 'createChatCompletionRequest',
  handle: (ctx) => {
    const req = ctx.body as ChatRequest;
    return validate(req, ctx) ?? chatCompletion(req, ctx.model, ctx.profile, ctx.faults);
  },
};
