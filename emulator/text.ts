/** Deterministic "model" behaviour: the same input always gives the same text and token counts. */
import { createHash } from 'node:crypto';

/** A whitespace-and-punctuation tokenizer: crude, but stable and consistent across every operation. */
export function tokenize(text: string): string[] {
  return text.match(/\w+|[^\w\s]/gu) ?? [];
}

export function countTokens(text: string): number {
  return tokenize(text).length;
}

/** Joins tokens back with the spacing a reader expects (no space before punctuation). */
export function detokenize(tokens: string[]): string {
  return tokens.reduce((out, t, i) => (i === 0 ? t : /^\w/u.test(t) ? `${out} ${t}` : `${out}${t}`), '');
}

export function stableId(prefix: string, input: unknown, salt = ''): string {
  return `${prefix}-${createHash('sha256').update(JSON.stringify(input) + salt).digest('hex').slice(0, 24)}`;
}

const REPLY = 'This is a deterministic reply from the aoai-conformance reference emulator. It echoes nothing from a real model, and it always answers the same way.';

/** The reply for choice `i` of a request: varied by choice so n > 1 gives distinct texts. */
export function replyText(i: number): string {
  return i === 0 ? REPLY : `${REPLY} (choice ${i})`;
}

/** Cuts a reply to at most `maxTokens` tokens; reports whether it was cut. */
export function limitTokens(text: string, maxTokens: number | undefined): { text: string; tokens: number; cut: boolean } {
  const tokens = tokenize(text);
  if (maxTokens === undefined || tokens.length <= maxTokens) return { text, tokens: tokens.length, cut: false };
  return { text: detokenize(tokens.slice(0, maxTokens)), tokens: maxTokens, cut: true };
}
