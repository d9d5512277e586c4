/** Chat completions log probabilities (logprobs / top_logprobs): structure, coverage and counts. See ./types.ts. */
import { describe, everyChoice, messageOf } from './choices.ts';
import { numberParam } from './request.ts';
import { type CheckDefinition, type CheckOutcome, isRecord, noArgs, pass } from './types.ts';

/** The finding several logprobs checks may see (CheckOutcome.findings): reported once, by the first. */
const NO_LOGPROBS = 'chat: no logprobs.content';

/** The logprobs.content entries of a choice, or undefined when the choice has none. */
function logprobEntries(choice: Record<string, unknown>): unknown[] | undefined {
  return isRecord(choice.logprobs) && Array.isArray(choice.logprobs.content) ? choice.logprobs.content : undefined;
}

/** A choice that answers with a call instead of text has no content tokens to give log probabilities for. */
function hasText(choice: Record<string, unknown>): boolean {
  const content = messageOf(choice)?.content;
  return typeof content === 'string' && content.length > 0;
}

/**
 * A token entry (seed 003 chatCompletionTokenLogprob: token, logprob, bytes and top_logprobs all "Sí") or, with
 * `alternative`, one of its top_logprobs ("los tokens más probables y su probabilidad de registro": no bytes promised).
 */
function logprobProblem(entry: unknown, where: string, alternative = false): string | undefined {
  if (!isRecord(entry)) return `${where} is ${describe(entry)}, not an object`;
  if (typeof entry.token !== 'string') return `${where}.token is ${describe(entry.token)}`;
  if (typeof entry.logprob !== 'number' || !Number.isFinite(entry.logprob) || entry.logprob > 0) return `${where}.logprob is ${describe(entry.logprob)}, not a number ≤ 0`;
  if (alternative && entry.bytes === undefined) return undefined;
  if (entry.bytes !== null && !(Array.isArray(entry.bytes) && entry.bytes.every((b) => Number.isInteger(b) && b >= 0 && b <= 255))) return `${where}.bytes is ${describe(entry.bytes)}, not null or a list of bytes`;
  return undefined;
}

export const logprobsStructure: CheckDefinition = {
  name: 'chat-logprobs-structure',
  requirement: 'AOAI-CHAT-LOGPROBS',
  category: 'semantics',
  description: "Walks logprobs.content of every choice with text: each entry's token, its logprob (≤ 0), its bytes (a byte list or null) and its top_logprobs alternatives, each with a token and a logprob ≤ 0 (bytes optional).",
  needsJson: true,
  args: noArgs,
  run: ({ response }) =>
    everyChoice(response.json, 'logprobs.content with well-formed entries', (c) => {
      if (!hasText(c)) return undefined;
      const entries = logprobEntries(c);
      if (!entries) return { text: `logprobs is ${describe(c.logprobs)}`, finding: NO_LOGPROBS };
      if (entries.length === 0) return { text: 'logprobs.content is empty although the message has content', finding: NO_LOGPROBS };
      for (const [j, entry] of entries.entries()) {
        const problem = logprobProblem(entry, `logprobs.content[${j}]`);
        if (problem) return problem;
        const top = (entry as Record<string, unknown>).top_logprobs;
        if (!Array.isArray(top)) return `logprobs.content[${j}].top_logprobs is ${describe(top)}, not a list`;
        for (const [k, alt] of top.entries()) {
          const altProblem = logprobProblem(alt, `logprobs.content[${j}].top_logprobs[${k}]`, true);
          if (altProblem) return altProblem;
        }
      }
      return undefined;
    }),
};

export const logprobsCoverContent: CheckDefinition = {
  name: 'chat-logprobs-cover-content',
  requirement: 'AOAI-CHAT-LOGPROBS-COVER',
  category: 'semantics',
  description: "Joins the `bytes` of the logprobs.content entries in order (an entry's `token` where it has no bytes) and compares the text with the message content.",
  needsJson: true,
  args: noArgs,
  run: ({ response }) =>
    everyChoice(response.json, 'logprobs entries that spell out the content', (c) => {
      const entries = logprobEntries(c);
      const content = messageOf(c)?.content;
      if (typeof content !== 'string' || content === '') return undefined;
      // Absent entries cover nothing; that they are absent is chat-logprobs-structure's finding.
      if (!entries) return { text: `logprobs is ${describe(c.logprobs)}: nothing spells out the content`, finding: NO_LOGPROBS };
      const records = entries.filter(isRecord);
      const allBytes = records.every((e) => Array.isArray(e.bytes));
      const spelled = allBytes
        ? Buffer.from(records.flatMap((e) => e.bytes as number[])).toString('utf8')
        : records.map((e) => (typeof e.token === 'string' ? e.token : '')).join('');
      return spelled === content ? undefined : `the ${entries.length} logprobs entries spell ${describe(spelled)}, the content is ${describe(content)}`;
    }),
};

/** The top_logprobs the request asked for; undefined when it did not say (the seed names no default). */
function requestedTopLogprobs(body: unknown): number | undefined {
  return numberParam(body, 'top_logprobs');
}

/** Fails on the first token entry whose number of top_logprobs `wrong` rejects; a choice with text but no entries has none to count. */
function judgeTopLogprobs(json: unknown, expected: string, wrong: (length: number) => boolean): CheckOutcome {
  return everyChoice(json, expected, (c) => {
    const entries = logprobEntries(c);
    if (hasText(c) && (!entries || entries.length === 0)) return { text: `logprobs is ${describe(c.logprobs)}: no entries to count`, finding: NO_LOGPROBS };
    for (const [j, entry] of (entries ?? []).entries()) {
      const top = isRecord(entry) ? entry.top_logprobs : undefined;
      if (Array.isArray(top) && wrong(top.length)) return `logprobs.content[${j}] has ${top.length} top_logprobs`;
    }
    return undefined;
  });
}

const noTopLogprobsAsked = (expected: string): CheckOutcome => pass(expected, '(top_logprobs not set)', 'not judged: the request sets no top_logprobs, and the seed names no default');

export const topLogprobsAtMost: CheckDefinition = {
  name: 'chat-top-logprobs-at-most',
  requirement: 'AOAI-CHAT-TOP-LOGPROBS-MAX',
  category: 'semantics',
  description: "Counts the `top_logprobs` alternatives of every logprobs.content entry and looks for a count above the request's top_logprobs; a request without top_logprobs is not judged.",
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const n = requestedTopLogprobs(requestBody);
    if (n === undefined) return noTopLogprobsAsked('at most top_logprobs alternatives per token');
    return judgeTopLogprobs(response.json, `at most ${n} top_logprobs per token`, (length) => length > n);
  },
};

export const topLogprobsCount: CheckDefinition = {
  name: 'chat-top-logprobs-count',
  requirement: 'AOAI-CHAT-TOP-LOGPROBS-COUNT',
  category: 'semantics',
  description: "Counts the `top_logprobs` alternatives of every logprobs.content entry and looks for a count other than the request's top_logprobs; a request without top_logprobs is not judged.",
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const n = requestedTopLogprobs(requestBody);
    if (n === undefined) return noTopLogprobsAsked('top_logprobs alternatives per token');
    return judgeTopLogprobs(response.json, `${n} top_logprobs per token`, (length) => length !== n);
  },
};

export const CHECKS: CheckDefinition[] = [logprobsStructure, logprobsCoverContent, topLogprobsAtMost, topLogprobsCount];
