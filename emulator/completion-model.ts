/**
 * The emulator's deterministic text-completion "model", shared by the completions handlers of every profile
 * (./completions.ts for Azure OpenAI and OpenAI, ./model-inference.ts for Model Inference).
 *
 * One completion per prompt × n (indexes prompt-major: prompt i, copy j → index i·n + j), best_of candidates
 * generated server-side with the best n returned, echo, suffix, stop (cut before it, never in the text),
 * max_tokens (cut → finish_reason "length"), logprobs (tokens, token_logprobs, top_logprobs, text_offset).
 * A request too large to answer sensibly (prompts × max(n, best_of) > 4096) is refused with the profile's 400/422.
 */
import { createHash } from 'node:crypto';
import type { ProfileName } from '../src/model.ts';
import type { FaultSet } from './faults.ts';
import { replyText } from './text.ts';

/** Seed 003 default for Azure OpenAI (and OpenAI); seed 000 says 256 for Model Inference. */
export const DEFAULT_MAX_TOKENS: Record<ProfileName, number> = { 'azure-openai': 16, openai: 16, 'model-inference': 256 };

/** The document separator a prompt-less request completes from (seed 003 and 000). */
const END_OF_TEXT = '<|endoftext|>';
const END_OF_TEXT_ID = 50256;

export interface Prompt {
  /** The prompt as text (token-id prompts are decoded by the emulator's toy vocabulary). */
  text: string;
  tokens: number;
}

export interface CompletionOptions {
  prompts: Prompt[];
  n: number;
  bestOf: number;
  maxTokens: number;
  stop: string[];
  echo: boolean;
  suffix?: string;
  /** null: not requested. */
  logprobs: number | null;
}

export interface LogprobsResult {
  tokens: string[];
  token_logprobs: Array<number | null>;
  top_logprobs: Array<Record<string, number> | null>;
  text_offset: number[];
}

export interface GeneratedChoice {
  /** Which prompt of the request this choice completes. */
  promptIndex: number;
  text: string;
  finish_reason: 'stop' | 'length';
  logprobs: LogprobsResult | null;
}

export interface Generated {
  choices: GeneratedChoice[];
  promptTokens: number;
  /** Every generated candidate counts, best_of ones included (as OpenAI bills them). */
  completionTokens: number;
}

/** Tokens as GPT tokenizers cut them: leading whitespace belongs to the token, so tokens join back to the text. */
export function tokenPieces(text: string): string[] {
  return text.match(/\s*(?:\w+|[^\w\s])|\s+/gu) ?? [];
}

function hashUnit(...parts: unknown[]): number {
  return createHash('sha256').update(JSON.stringify(parts)).digest().readUInt32BE(0) / 0x1_0000_0000;
}

/** A plausible, deterministic log probability for a token at a position (always < 0). */
function logprobOf(token: string, position: number, salt: string): number {
  return -Number((0.01 + 2.5 * hashUnit(token, position, salt)).toFixed(6));
}

/** Toy decoding of token ids: enough for echo and prompt accounting to be consistent. */
function decodeTokenIds(ids: number[]): string {
  return ids.map((id) => (id === END_OF_TEXT_ID ? END_OF_TEXT : ` t${id}`)).join('');
}

/**
 * The prompts of a request: a string, strings, token ids, or arrays of token ids; none = one empty document, and so
 * is an array mixing those shapes. The emulator's own count, deliberately not the judge's (src/checks/request.ts
 * promptList; emulator/routes.ts says why): test/checks/request.test.ts holds the two to the same answer.
 */
export function promptsOf(prompt: unknown): Prompt[] {
  const fromText = (text: string): Prompt => ({ text, tokens: tokenPieces(text).length });
  const fromIds = (ids: number[]): Prompt => ({ text: decodeTokenIds(ids), tokens: ids.length });
  if (typeof prompt === 'string') return [fromText(prompt)];
  if (Array.isArray(prompt) && prompt.length > 0) {
    if (prompt.every((p) => typeof p === 'string')) return prompt.map((p) => fromText(p as string));
    if (prompt.every((p) => typeof p === 'number')) return [fromIds(prompt as number[])];
    if (prompt.every((p) => Array.isArray(p))) return prompt.map((p) => fromIds(p as number[]));
  }
  // Absent, null or empty: "the model generates as if from the beginning of a new document".
  return [{ text: '', tokens: 1 }];
}

function stopSequences(stop: unknown): string[] {
  if (typeof stop === 'string') return stop === '' ? [] : [stop];
  if (Array.isArray(stop)) return stop.filter((s): s is string => typeof s === 'string' && s !== '');
  return [];
}

/** The options of a completions request body (already validated against the profile's request schema). */
export function optionsOf(body: Record<string, unknown>, profile: ProfileName): CompletionOptions {
  const n = typeof body.n === 'number' ? body.n : 1;
  return {
    prompts: promptsOf(body.prompt),
    n,
    bestOf: typeof body.best_of === 'number' ? Math.max(body.best_of, n) : n,
    maxTokens: typeof body.max_tokens === 'number' ? body.max_tokens : DEFAULT_MAX_TOKENS[profile],
    stop: stopSequences(body.stop),
    echo: body.echo === true,
    suffix: typeof body.suffix === 'string' ? body.suffix : undefined,
    logprobs: typeof body.logprobs === 'number' ? body.logprobs : null,
  };
}

/** Beyond these the emulator refuses a request instead of building a response of hundreds of megabytes. */
export const MAX_CANDIDATES = 4096;
export const MAX_ECHOED_TOKENS = 200_000;

/** Why a request is too large for the emulator to answer (the documented maxima, 2048 prompts × n 1 or n 128, fit). */
export function tooLarge(opts: CompletionOptions): { param: string; message: string } | undefined {
  const candidates = opts.prompts.length * opts.bestOf;
  if (candidates > MAX_CANDIDATES) {
    return { param: opts.bestOf > opts.n ? 'best_of' : 'n', message: `prompts × max(n, best_of) = ${candidates} completions exceed the emulator's limit of ${MAX_CANDIDATES} per request` };
  }
  const echoed = opts.echo ? opts.prompts.reduce((sum, p) => sum + p.tokens, 0) * opts.n : 0;
  if (echoed > MAX_ECHOED_TOKENS) return { param: 'echo', message: `echo would return ${echoed} prompt tokens, more than the emulator's limit of ${MAX_ECHOED_TOKENS}` };
  return undefined;
}

interface Candidate {
  promptIndex: number;
  text: string;
  pieces: string[];
  finish_reason: 'stop' | 'length';
  score: number;
  salt: string;
}

/** One candidate continuation of a prompt, cut at the first stop sequence or at max_tokens. */
function candidate(prompt: Prompt, promptIndex: number, variant: number, opts: CompletionOptions, faults: FaultSet): Candidate {
  const salt = `${promptIndex}:${variant}:${prompt.text}`;
  const full = ` ${replyText(variant)}`;
  let text = full;
  let stoppedBy: string | undefined;
  let stopAt = -1;
  for (const s of opts.stop) {
    const at = full.indexOf(s);
    if (at >= 0 && (stopAt < 0 || at < stopAt)) {
      stopAt = at;
      stoppedBy = s;
    }
  }
  if (stopAt >= 0) text = full.slice(0, stopAt);
  let pieces = tokenPieces(text);
  let finish: 'stop' | 'length' = 'stop';
  if (pieces.length > opts.maxTokens && !faults.has('completions-max-tokens-ignored')) {
    pieces = pieces.slice(0, opts.maxTokens);
    text = pieces.join('');
    stoppedBy = undefined;
    finish = faults.has('completions-finish-reason-stop-when-cut') ? 'stop' : 'length';
  }
  if (stoppedBy !== undefined && faults.has('completions-stop-included')) {
    text += stoppedBy;
    pieces = tokenPieces(text);
  }
  const score = pieces.length === 0 ? 0 : pieces.reduce((sum, p, i) => sum + logprobOf(p, i, salt), 0) / pieces.length;
  return { promptIndex, text, pieces, finish_reason: finish, score, salt };
}

const ALTERNATIVES = [' the', ' a', ',', '.', ' and', ' of', ' to', ' in', ' is', ' it'];

/** The `k` most likely tokens at a position: the sampled one first, then distinct alternatives, each less likely. */
function topLogprobs(token: string, logprob: number, k: number, position: number, salt: string): Record<string, number> {
  const entries: Record<string, number> = { [token]: logprob };
  let step = 1;
  for (const alt of ALTERNATIVES) {
    if (Object.keys(entries).length >= k) break;
    if (alt in entries) continue;
    entries[alt] = Number((logprob - step * (0.1 + hashUnit(alt, position, salt))).toFixed(6));
    step++;
  }
  return entries;
}

function logprobsFor(c: Candidate, prompt: Prompt, opts: CompletionOptions, k: number, faults: FaultSet): LogprobsResult {
  // Echoed prompt tokens come first; the first token of a text has no logprob (nothing precedes it).
  const promptPieces = opts.echo ? tokenPieces(prompt.text) : [];
  const tokens = [...promptPieces, ...c.pieces];
  const alternatives = faults.has('completions-top-logprobs-extra') ? k + 2 : faults.has('completions-top-logprobs-short') ? 1 : Math.max(k, 1);
  const token_logprobs: Array<number | null> = [];
  const top_logprobs: Array<Record<string, number> | null> = [];
  const text_offset: number[] = [];
  // Offsets count from the start of the prompt, as if the completion followed it.
  let offset = opts.echo ? 0 : prompt.text.length;
  tokens.forEach((t, i) => {
    text_offset.push(offset);
    offset += t.length;
    if (opts.echo && i === 0) {
      token_logprobs.push(null);
      top_logprobs.push(null);
      return;
    }
    const lp = logprobOf(t, i, c.salt);
    token_logprobs.push(lp);
    top_logprobs.push(topLogprobs(t, lp, alternatives, i, c.salt));
  });
  if (faults.has('completions-logprobs-misaligned')) text_offset.pop();
  return { tokens, token_logprobs, top_logprobs, text_offset };
}

/** Generates the choices of a request: best_of candidates per prompt, the best n kept, prompt-major order. */
export function generate(opts: CompletionOptions, faults: FaultSet): Generated {
  const prompts = faults.has('completions-prompt-array-first-only') ? opts.prompts.slice(0, 1) : opts.prompts;
  const choices: GeneratedChoice[] = [];
  let completionTokens = 0;
  prompts.forEach((prompt, promptIndex) => {
    const candidates = Array.from({ length: opts.bestOf }, (_, v) => candidate(prompt, promptIndex, v, opts, faults));
    completionTokens += candidates.reduce((sum, c) => sum + c.pieces.length, 0);
    const kept = faults.has('completions-best-of-returned')
      ? candidates
      : opts.bestOf > opts.n
        ? [...candidates].sort((a, b) => b.score - a.score).slice(0, opts.n)
        : candidates;
    for (const c of kept) {
      const echoed = opts.echo && !faults.has('completions-echo-ignored') ? prompt.text : '';
      choices.push({
        promptIndex,
        text: echoed + c.text,
        finish_reason: c.finish_reason,
        logprobs: opts.logprobs === null || faults.has('completions-logprobs-missing') ? null : logprobsFor(c, prompt, opts, opts.logprobs, faults),
      });
    }
  });
  const suffixTokens = opts.suffix ? tokenPieces(opts.suffix).length : 0;
  const promptTokens = opts.prompts.reduce((sum, p) => sum + p.tokens, 0) + suffixTokens;
  return { choices, promptTokens, completionTokens };
}

export function usageOf(g: Generated, faults: FaultSet): Record<string, number> {
  const total = g.promptTokens + g.completionTokens + (faults.has('completions-usage-total-wrong') ? 1 : 0);
  return { prompt_tokens: g.promptTokens, completion_tokens: g.completionTokens, total_tokens: total };
}

export function completionObject(faults: FaultSet): string {
  return faults.has('completions-object-wrong') ? 'completion' : 'text_completion';
}

