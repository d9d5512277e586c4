/** What the chat checks share to judge a response choice by choice (chat.ts, chat-calls.ts, chat-logprobs.ts). */
import { NO_CHOICES } from './semantics.ts';
import { type CheckOutcome, choicesOf, fail, isRecord, pass } from './types.ts';

/** A choice cut by length or by the content filter may end mid-JSON: its JSON need only be a beginning of one. */
const UNFINISHED = new Set(['length', 'content_filter']);

export function unfinished(choice: unknown): boolean {
  return isRecord(choice) && typeof choice.finish_reason === 'string' && UNFINISHED.has(choice.finish_reason);
}

/** What one choice breaks: a message, with the finding when another check may report the same defect. */
export type ChoiceProblem = string | { text: string; finding: string };

export function messageOf(choice: unknown): Record<string, unknown> | undefined {
  return isRecord(choice) && isRecord(choice.message) ? choice.message : undefined;
}

/** Runs `judge` over every choice; the first problem fails the check. No choices at all fails it too. */
export function everyChoice(json: unknown, expected: unknown, judge: (choice: Record<string, unknown>, index: number) => ChoiceProblem | undefined, passMessage = 'as expected'): CheckOutcome {
  const choices = choicesOf(json);
  if (!choices || choices.length === 0) return { ...fail(expected, choices ? '[] (no choices)' : '(no choices array)', 'the response has no choices to judge'), findings: [NO_CHOICES] };
  for (const [i, choice] of choices.entries()) {
    const problem = judge(isRecord(choice) ? choice : {}, i);
    if (problem === undefined) continue;
    const text = typeof problem === 'string' ? problem : problem.text;
    return { ...fail(expected, text, `choices[${i}]: ${text}`), ...(typeof problem === 'string' ? {} : { findings: [problem.finding] }) };
  }
  return pass(expected, `${choices.length} choice(s) checked`, passMessage);
}

/** The outcome when a case asks a check to judge a request it cannot judge (a stop check without stop sequences). */
export function misuse(message: string): CheckOutcome {
  return { ok: 'error', expected: '(a request the check can judge)', actual: null, message };
}

export function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'absent' : text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** Whether a choice answers with a tool call or function call. */
export function callsIn(choice: Record<string, unknown>): boolean {
  const message = messageOf(choice);
  return (Array.isArray(message?.tool_calls) && message.tool_calls.length > 0) || isRecord(message?.function_call);
}
