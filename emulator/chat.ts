/** POST …/chat/completions: a deterministic chat model. */
import type { ProfileName } from '../src/model.ts';
import { choiceFilterResults, promptFilterResults } from './content-filter.ts';
import type { FaultSet } from './faults.ts';
import type { EmulatorReply, OperationHandler } from './types.ts';
import { countTokens, limitTokens, replyText, stableId } from './text.ts';

interface ChatMessage {
  role: string;
  content?: unknown;
}

export interface ChatRequest {
  messages: ChatMessage[];
  n?: number;
  max_tokens?: number;
  [key: string]: unknown;
}

function messageText(m: ChatMessage): string {
  if (typeof m.content === 'string') return m.content;
  if (Array.isArray(m.content)) return m.content.map((p) => (p && typeof p === 'object' && 'text' in p ? String(p.text) : '')).join(' ');
  return '';
}

/** Prompt tokens: the message texts plus a fixed per-message overhead, as chat formats add. */
function promptTokens(messages: ChatMessage[]): number {
  return messages.reduce((sum, m) => sum + 4 + countTokens(messageText(m)), 2);
}

export function chatCompletion(req: ChatRequest, model: string, profile: ProfileName, faults: FaultSet): EmulatorReply {
  const n = faults.has('n-ignored') ? 1 : (req.n ?? 1);
  const choices = Array.from({ length: n }, (_, i) => {
    const { text, tokens, cut } = limitTokens(replyText(i), req.max_tokens);
    return {
      tokens,
      choice: {
        index: faults.has('choice-index-from-one') ? i + 1 : i,
        message: { role: 'assistant', content: text },
        finish_reason: cut ? 'length' : 'stop',
        logprobs: null,
        ...(profile === 'openai' ? {} : { content_filter_results: choiceFilterResults() }),
      },
    };
  });
  const prompt_tokens = promptTokens(req.messages);
  const completion_tokens = choices.reduce((s, c) => s + c.tokens, 0);
  const body: Record<string, unknown> = {
    id: stableId('chatcmpl', req),
    object: faults.has('chat-object-wrong') ? 'chat.completions' : 'chat.completion',
    created: faults.has('chat-created-string') ? new Date().toISOString() : Math.floor(Date.now() / 1000),
    model,
    system_fingerprint: null,
    ...(profile === 'openai' ? {} : { prompt_filter_results: promptFilterResults() }),
    choices: choices.map((c) => c.choice),
    usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens + (faults.has('usage-total-wrong') ? 1 : 0) },
  };
  if (faults.has('chat-missing-id')) delete body.id;
  return { status: 200, body };
}

export const chatHandler: OperationHandler = {
  operation: 'chat.completions',
  bodyKind: 'json',
  requestSchema: () => 'createChatCompletionRequest',
  handle: (ctx) => chatCompletion(ctx.body as ChatRequest, ctx.model, ctx.profile, ctx.faults),
};
