/**
 * Stream checks of the choices (`stream: true` on chat and completions): the first delta's role, one finish per
 * choice, the choice indexes and the finish reason. Registered through ./stream.ts.
 */
import { CHOICE_WITHOUT_INDEX, chunkChoices, failWith, finishes, indexlessChoice, list, onStream, type Problem, type StreamData, tracks, type ChoiceTrack } from './stream-data.ts';
import { unproven, whenArg } from './proof.ts';
import { requestedChoices } from './request.ts';
import { type CheckDefinition, type CheckOutcome, fail, isRecord, noArgs, pass } from './types.ts';

export const streamFirstDeltaRole: CheckDefinition = {
  name: 'stream-first-delta-role',
  requirement: 'AOAI-STREAM-ROLE-FIRST',
  category: 'streaming',
  description: 'Finds the first delta of each chat choice in the stream and reads its `role`.',
  args: noArgs,
  run: onStream(({ chunks }) => {
    const found = tracks(chunks, 'chat');
    if (found.size === 0) return fail('role assistant in the first delta', '(no deltas)', 'the stream has no deltas');
    const missing: string[] = [];
    for (const track of found.values()) {
      const first = track.pieces[0];
      const role = isRecord(first.choice.delta) ? first.choice.delta.role : undefined;
      if (role !== 'assistant') missing.push(`choice ${JSON.stringify(track.index)}: ${role === undefined ? 'no role' : `role ${JSON.stringify(role)}`} at event ${first.event}`);
    }
    return missing.length ? fail('role assistant in the first delta of each choice', missing, `the first delta does not carry role "assistant": ${list(missing)}`) : pass('role assistant in the first delta of each choice', `${found.size} choice(s)`);
  }),
};



/** The finding of a choice that never finishes: stream-finish-once and stream-finish-reason both see it. */
const unfinished = (i: number) => `stream: choice ${i} without a finish_reason`;

/**
 * Chunk choices without an index when several choices were asked for: no per-choice rule can be judged, and the
 * defect is stream-choice-indexes' (with one choice, they are attributed to it).
 */
function indexless(chunks: StreamData['chunks'], n: number, expected: unknown): CheckOutcome | undefined {
  const at = n === 1 ? undefined : indexlessChoice(chunks);
  if (!at) return undefined;
  return failWith('indexless', expected, `no index at event ${at.event}`, [{ text: `chunk choices carry no index (e.g. event ${at.event}), so their pieces cannot be attributed to choices`, findings: [CHOICE_WITHOUT_INDEX] }]);
}

/** Where a choice put its finish_reason inside `delta`, which has no such field: said when the choice never finishes. */
function finishInDelta(track: ChoiceTrack | undefined): string {
  const misplaced = track?.pieces.find((p) => isRecord(p.choice.delta) && typeof p.choice.delta.finish_reason === 'string');
  return misplaced ? ` (event ${misplaced.event} carries finish_reason inside delta, where it is no field of the choice)` : '';
}

export const streamFinishOnce: CheckDefinition = {
  name: 'stream-finish-once',
  requirement: 'AOAI-STREAM-FINISH-ONCE',
  category: 'streaming',
  description: 'Follows each choice 0..n-1 through the stream: the chunks where its finish_reason is non-null, and any delta of that choice after the first of them.',
  wholeStream: true,
  args: noArgs,
  run: onStream(({ chunks, kind }, { requestBody }) => {
    const n = requestedChoices(requestBody);
    const expected = `one final finish_reason for each of choices 0..${n - 1}`;
    const noIndex = indexless(chunks, n, expected);
    if (noIndex) return noIndex;
    const byChoice = finishes(chunks, kind, n);
    const content = tracks(chunks, kind, n);
    const problems: Problem[] = [];
    for (let i = 0; i < n; i++) {
      const key = JSON.stringify(i);
      const seen = byChoice.get(key) ?? [];
      if (seen.length === 0) {
        problems.push({ text: `choice ${i} never reports a finish_reason${finishInDelta(content.get(key))}`, findings: [unfinished(i)] });
        continue;
      }
      if (seen.length > 1) problems.push({ text: `choice ${i} reports finish_reason ${seen.length} times (events ${seen.map((s) => `${s.event}: ${JSON.stringify(s.reason)}`).join(', ')})` });
      const later = (content.get(key)?.pieces ?? []).filter((p) => p.event > seen[0].event);
      if (later.length) problems.push({ text: `choice ${i} reports finish_reason ${JSON.stringify(seen[0].reason)} at event ${seen[0].event}, then ${later.length} more chunk(s) of it follow` });
    }
    const actual = Object.fromEntries([...byChoice].map(([k, v]) => [k, v.map((s) => s.reason)]));
    return problems.length ? failWith('stream-finish-once', expected, actual, problems) : pass(expected, actual);
  }),
};

export const streamChoiceIndexes: CheckDefinition = {
  name: 'stream-choice-indexes',
  requirement: 'AOAI-STREAM-CHOICE-INDEXES',
  category: 'streaming',
  description: "Collects the choice `index` of every chunk and compares the set with 0..n-1 for the request's `n`; the order of chunks across choices is not judged (n > 1 streams may interleave).",
  wholeStream: true,
  args: noArgs,
  run: onStream(({ chunks, kind }, { requestBody }) => {
    const n = requestedChoices(requestBody);
    const used = new Set<unknown>();
    const invalid = new Set<string>();
    for (const { chunk } of chunks) {
      for (const choice of chunkChoices(chunk)) {
        used.add(choice.index);
        if (!(Number.isInteger(choice.index) && (choice.index as number) >= 0 && (choice.index as number) < n)) invalid.add(JSON.stringify(choice.index ?? null));
      }
    }
    const contentIndexes = new Set([...tracks(chunks, kind).values()].map((t) => t.index));
    const absent = Array.from({ length: n }, (_, i) => i).filter((i) => !contentIndexes.has(i));
    const expected = `indexes 0..${n - 1}, each present`;
    const actual = [...used].sort();
    // A choice with no index at all is also a schema failure (index is required): one finding for both checks.
    const missing = invalid.has('null') ? [CHOICE_WITHOUT_INDEX] : undefined;
    const problems: Problem[] = [];
    if (invalid.size) problems.push({ text: `chunks use choice index(es) ${[...invalid].join(', ')} outside 0..${n - 1} (n = ${n})`, findings: invalid.size === 1 ? missing : undefined });
    if (absent.length) problems.push({ text: `choice(s) ${absent.join(', ')} never appear in the stream (n = ${n})`, findings: missing });
    return problems.length ? failWith('stream-choice-indexes', expected, actual, problems, problems[0].text) : pass(expected, actual);
  }),
};

export const streamFinishReason: CheckDefinition = {
  name: 'stream-finish-reason',
  requirement: 'AOAI-STREAM-FINISH-LENGTH',
  category: 'streaming',
  description: "Reads each choice's final finish_reason and compares it with `equals` (e.g. `length` when max_tokens cut the stream); with `when`, only if the stream's usage proves the choices were cut by max_tokens (or were not).",
  wholeStream: true,
  args: {
    type: 'object',
    additionalProperties: false,
    required: ['equals'],
    properties: { equals: { oneOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }] }, when: whenArg },
  },
  run: onStream(({ chunks, kind }, { requestBody, args }) => {
    const allowed = ([] as string[]).concat(args.equals as string | string[]);
    const expected = allowed.length === 1 ? allowed[0] : allowed;
    const n = requestedChoices(requestBody);
    // A model may stop by itself before max_tokens: only usage (in a chunk) proves the stream was cut.
    const usage = [...chunks].reverse().find(({ chunk }) => isRecord(chunk.usage))?.chunk.usage;
    const skip = unproven(args.when, { usage, choices: Array.from({ length: n }) }, requestBody);
    if (skip) return pass(expected, usage ?? '(no usage in the stream)', skip);
    const noIndex = indexless(chunks, n, expected);
    if (noIndex) return noIndex;
    const byChoice = finishes(chunks, kind, n);
    const actual: Record<string, unknown> = {};
    const wrong: Problem[] = [];
    for (let i = 0; i < n; i++) {
      const seen = byChoice.get(JSON.stringify(i)) ?? [];
      const reason = seen.length ? seen[seen.length - 1].reason : null;
      actual[i] = reason;
      // A choice that never finishes is stream-finish-once's finding; a wrong reason is this check's own.
      if (typeof reason !== 'string' || !allowed.includes(reason)) wrong.push({ text: `choice ${i}: ${JSON.stringify(reason)}`, findings: seen.length ? undefined : [unfinished(i)] });
    }
    return wrong.length ? failWith('stream-finish-reason', expected, actual, wrong, `finish_reason is not ${allowed.join(' or ')}: ${list(wrong.map((w) => w.text))}`) : pass(expected, actual);
  }),
};

export const CHECKS: CheckDefinition[] = [streamFirstDeltaRole, streamFinishOnce, streamChoiceIndexes, streamFinishReason];
