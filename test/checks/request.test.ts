/**
 * How many choices a request asks for: one function on the judge's side (src/checks/request.ts), for every prompt
 * shape seed 003 documents (string | string[] | int[] | int[][]) and for the shapes it does not (mixed, empty arrays),
 * held to the emulator's own count (emulator/completion-model.ts), which is deliberately a separate copy.
 */
import { describe, expect, it } from 'vitest';
import { promptsOf } from '../../emulator/completion-model.ts';
import { CHECKS } from '../../src/checks/index.ts';
import { promptList, requestedChoices, requestedN } from '../../src/checks/request.ts';
import type { RecordedResponse } from '../../src/model.ts';
import { SchemaRegistry } from '../../src/schemas/registry.ts';

/** Every prompt shape, with the number of prompts it holds. */
const SHAPES: Array<{ shape: string; prompt: unknown; prompts: number }> = [
  { shape: 'a string', prompt: 'Say hello.', prompts: 1 },
  { shape: 'an empty string', prompt: '', prompts: 1 },
  { shape: 'an array of one string', prompt: ['a'], prompts: 1 },
  { shape: 'an array of strings', prompt: ['a', 'b', 'c'], prompts: 3 },
  { shape: 'an array of token ids (one prompt)', prompt: [1, 2, 3], prompts: 1 },
  { shape: 'an array of one token-id array', prompt: [[1, 2]], prompts: 1 },
  { shape: 'an array of token-id arrays', prompt: [[1, 2], [3], [4, 5]], prompts: 3 },
  { shape: 'an empty array (no prompt)', prompt: [], prompts: 1 },
  { shape: 'null (no prompt)', prompt: null, prompts: 1 },
  { shape: 'absent (no prompt)', prompt: undefined, prompts: 1 },
  { shape: 'a mix of a string and a token-id array', prompt: ['a', [1, 2]], prompts: 1 },
  { shape: 'a mix of strings and token ids', prompt: ['a', 1, 'b'], prompts: 1 },
  { shape: 'a mix of token ids and a token-id array', prompt: [1, [2, 3]], prompts: 1 },
];

function body(prompt: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return prompt === undefined ? { ...extra } : { prompt, ...extra };
}

describe('the number of prompts and of choices a request asks for', () => {
  it.each(SHAPES)('$shape: $prompts prompt(s), n times as many choices', ({ prompt, prompts }) => {
    expect(promptList(body(prompt)).count).toBe(prompts);
    expect(requestedChoices(body(prompt))).toBe(prompts);
    expect(requestedChoices(body(prompt, { n: 3 }))).toBe(3 * prompts);
  });

  it.each(SHAPES)('$shape: the emulator counts the same prompts', ({ prompt, prompts }) => {
    expect(promptsOf(prompt)).toHaveLength(prompts);
  });

  it('gives the texts only of string prompts', () => {
    expect(promptList({ prompt: 'x' }).texts).toEqual(['x']);
    expect(promptList({ prompt: ['x', 'y'] }).texts).toEqual(['x', 'y']);
    expect(promptList({ prompt: [1, 2] }).texts).toBeUndefined();
    expect(promptList({ prompt: ['x', [1]] }).texts).toBeUndefined();
  });

  it('reads n with its documented default 1 (absent, null, not a number, or no body at all)', () => {
    expect(requestedN({ n: 4 })).toBe(4);
    expect(requestedN({})).toBe(1);
    expect(requestedN({ n: null })).toBe(1);
    expect(requestedN({ n: '2' })).toBe(1);
    expect(requestedN(undefined)).toBe(1);
    expect(requestedChoices('not a body')).toBe(1);
  });

  it('counts a chat request (messages, no prompt) as n choices', () => {
    expect(requestedChoices({ messages: [{ role: 'user', content: 'hi' }], n: 2 })).toBe(2);
  });
});

describe('the choice-count checks use that one count', () => {
  function respond(choices: number): RecordedResponse {
    const json = { choices: Array.from({ length: choices }, (_, index) => ({ index, text: ' hi', finish_reason: 'stop' })) };
    const text = JSON.stringify(json);
    return { status: 200, headers: { 'content-type': 'application/json' }, bodyText: text, bodyBytes: text.length, truncated: false, json };
  }
  async function passes(check: string, requestBody: unknown, choices: number): Promise<boolean | string> {
    const def = CHECKS.get(check)!;
    const outcome = await def.run({ response: respond(choices), requestBody, profile: 'azure-openai', surface: 'azure-openai/2024-06-01', schemas: SchemaRegistry.shared(), args: {} });
    return outcome.ok;
  }

  it.each(SHAPES)('completions-choice-count with $shape and n 2 wants $prompts × 2 choices', async ({ prompt, prompts }) => {
    const request = body(prompt, { n: 2 });
    expect(await passes('completions-choice-count', request, 2 * prompts)).toBe(true);
    expect(await passes('completions-choice-count', request, 2 * prompts + 1)).toBe(false);
  });

  it('choice-count wants n choices of a chat request', async () => {
    const request = { messages: [{ role: 'user', content: 'hi' }], n: 3 };
    expect(await passes('choice-count', request, 3)).toBe(true);
    expect(await passes('choice-count', request, 1)).toBe(false);
  });
});
