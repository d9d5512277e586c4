/**
 * The text of a chat reply (emulator/chat.ts): the emulator's tokens and vocabulary, the draft a request's
 * seed, logit_bias and penalties shape, stop sequences and max_tokens applied to it, and its logprobs.
 */
import { createHash } from 'node:crypto';
import { type ChatMessage, type ChatRequest, isRecord, messageText } from './chat-request.ts';
import type { FaultSet } from './faults.ts';
import { replyText } from './text.ts';

function hashNumber(...parts: unknown[]): number {
  return parseInt(createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 8), 16);
}

// ─── tokens ──────────────────────────────────────────────────────────────────────────────────────
// The same tokens as text.ts's tokenizer, but each keeps the whitespace before it, so joining them gives
// back the text exactly (as logprobs tokens do).

export function pieces(text: string): string[] {
  return text.match(/\s*(?:\w+|[^\w\s])/gu) ?? [];
}

/** The emulator's token ids: logit_bias keys index this list (id = position). */
const VOCABULARY: readonly string[] = [...new Set(pieces(replyText(0)).map((p) => p.trim().toLowerCase()))];

function tokenId(piece: string): number {
  return VOCABULARY.indexOf(piece.trim().toLowerCase());
}

// ─── text ────────────────────────────────────────────────────────────────────────────────────────

export interface GeneratedText {
  content: string;
  tokens: string[];
  finishReason: 'stop' | 'length';
}

/** The reply before stop sequences and max_tokens apply. */
export function draftText(req: ChatRequest, messages: ChatMessage[], choice: number, grounded: boolean): string[] {
  const greedy = req.temperature === 0 || req.top_p === 0;
  let text = replyText(greedy ? 0 : choice);
  if (typeof req.seed === 'number') text = `${text} Seeded with ${req.seed}.`;
  if (grounded) text = `According to the retrieved documents [doc1], ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
  let tokens = pieces(text);

  const bias = isRecord(req.logit_bias) ? req.logit_bias : {};
  const banned = new Set(Object.entries(bias).filter(([, v]) => typeof v === 'number' && v <= -100).map(([k]) => Number(k)));
  const chosen = Object.entries(bias).find(([k, v]) => typeof v === 'number' && v >= 100 && VOCABULARY[Number(k)] !== undefined);
  if (chosen) return Array.from({ length: 16 }, (_, i) => `${i ? ' ' : ''}${VOCABULARY[Number(chosen[0])]}`);
  tokens = tokens.filter((t) => !banned.has(tokenId(t)));

  if ((req.frequency_penalty ?? 0) > 0) {
    const seen = new Set<string>();
    tokens = tokens.filter((t) => {
      const word = t.trim().toLowerCase();
      if (!/^\w/u.test(word)) return true;
      if (seen.has(word)) return false;
      seen.add(word);
      return true;
    });
  }
  if ((req.presence_penalty ?? 0) > 0) {
    const promptWords = new Set(messages.flatMap((m) => pieces(messageText(isRecord(m) ? m : {})).map((t) => t.trim().toLowerCase())));
    tokens = tokens.filter((t) => !/^\w/u.test(t.trim()) || !promptWords.has(t.trim().toLowerCase()));
  }
  return tokens;
}

function stopSequences(stop: ChatRequest['stop']): string[] {
  return (typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop : []).filter((s): s is string => typeof s === 'string' && s.length > 0);
}

/** Applies stop sequences, then max_tokens, to a draft. */
export function finishText(draft: string, req: ChatRequest, faults: FaultSet): GeneratedText {
  let content = draft;
  if (!faults.has('chat-stop-ignored')) {
    const hits = stopSequences(req.stop)
      .map((s) => ({ s, at: content.indexOf(s) }))
      .filter((h) => h.at >= 0)
      .sort((a, b) => a.at - b.at);
    if (hits.length) content = content.slice(0, hits[0].at + (faults.has('chat-stop-sequence-included') ? hits[0].s.length : 0));
  }
  let tokens = pieces(content);
  let finishReason: GeneratedText['finishReason'] = 'stop';
  const max = req.max_tokens;
  if (typeof max === 'number' && tokens.length > max && !faults.has('chat-max-tokens-ignored')) {
    tokens = tokens.slice(0, Math.max(0, max));
    if (!faults.has('chat-finish-reason-stop-when-cut')) finishReason = 'length';
  }
  // Leading whitespace of the first piece is not part of a reply.
  if (tokens.length) tokens[0] = tokens[0].trimStart();
  return { content: tokens.join(''), tokens, finishReason };
}

// ─── logprobs ────────────────────────────────────────────────────────────────────────────────────

const ALTERNATIVES = [' the', ' a', ',', ' and', '.', ' of', ' to'];
const MAX_ALTERNATIVES = 20;

function logprobOf(token: string, position: number, faults: FaultSet): number {
  const value = -Number(((hashNumber(token, position) % 1500) / 1000 + 0.001).toFixed(6));
  return faults.has('chat-logprob-positive') ? -value : value;
}

function bytesOf(token: string): number[] {
  return [...Buffer.from(token, 'utf8')];
}

export function tokenLogprobs(tokens: string[], requested: number, faults: FaultSet) {
  // Bounded even when a fault lets an out-of-range top_logprobs through.
  let count = Math.min(MAX_ALTERNATIVES, Math.max(0, Math.trunc(requested)));
  if (faults.has('chat-top-logprobs-extra')) count += 1;
  if (faults.has('chat-top-logprobs-fewer')) count = Math.max(0, count - 1);
  const entries = tokens.map((token, position) => {
    const logprob = logprobOf(token, position, faults);
    // The sampled token is the most likely one; alternatives are ever less likely.
    const others = ALTERNATIVES.filter((a) => a !== token);
    const top = Array.from({ length: count }, (_, j) => {
      const alt = j === 0 ? token : (others[(j - 1) % others.length] ?? ' the') + (j > others.length ? String(j) : '');
      return { token: alt, logprob: j === 0 ? logprob : Number((logprob - 1 - 0.75 * j).toFixed(6)), bytes: bytesOf(alt) };
    });
    return { token, logprob, bytes: bytesOf(token), top_logprobs: top };
  });
  return faults.has('chat-logprobs-partial') ? entries.slice(0, -1) : entries;
}
