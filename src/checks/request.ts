/** What checks read from the request a case sent (`requestBody`): one home for these helpers. */
import { isRecord } from './types.ts';

export function requestOf(body: unknown): Record<string, unknown> {
  return isRecord(body) ? body : {};
}

/** A numeric request parameter, or undefined when the request does not set it to a number. */
export function numberParam(body: unknown, name: string): number | undefined {
  const v = isRecord(body) ? body[name] : undefined;
  return typeof v === 'number' ? v : undefined;
}

/** The `n` a request asked for (documented default 1). */
export function requestedN(body: unknown): number {
  return numberParam(body, 'n') ?? 1;
}

/** The request's stop sequences (`stop` as a string or an array); empty strings are no sequence. */
export function stopSequences(body: unknown): string[] {
  const stop = isRecord(body) ? body.stop : undefined;
  const list = typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop : [];
  return list.filter((s): s is string => typeof s === 'string' && s.length > 0);
}

/**
 * The prompts of a completions request. Seed 003 createCompletionRequest `prompt` (and seed 000) encode them as a
 * string, an array of strings, an array of token ids (ONE prompt) or an array of token-id arrays.
 * Anything else counts as one prompt: no prompt at all, null or an empty array ("as if from the beginning of a new
 * document"), a chat request (no `prompt`), and an array that mixes those shapes (["a", [1, 2]], ["a", 1]), which is
 * none of the documented encodings; the emulator answers such an array the same way (emulator/completion-model.ts
 * promptsOf), and test/checks/request.test.ts holds the two to the same count for every shape.
 */
export function promptList(body: unknown): { count: number; texts?: string[] } {
  const prompt = isRecord(body) ? body.prompt : undefined;
  if (typeof prompt === 'string') return { count: 1, texts: [prompt] };
  if (Array.isArray(prompt) && prompt.length > 0) {
    if (prompt.every((p) => typeof p === 'string')) return { count: prompt.length, texts: prompt as string[] };
    if (prompt.every((p) => Array.isArray(p))) return { count: prompt.length };
  }
  return { count: 1 };
}

/**
 * How many choices a request asks for: `n` (default 1) for each prompt (seed 003: "Cuántas terminaciones generar
 * para cada pregunta"); a chat request has one conversation, so `n`. The one count every judge uses.
 */
export function requestedChoices(body: unknown): number {
  return requestedN(body) * promptList(body).count;
}
