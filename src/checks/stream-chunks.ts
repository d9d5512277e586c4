/**
 * What each chunk of a stream carries: its members, its object type, and the completion's identity.
 *
 * The members:  Seed 003 defines no chunk (and seed 000 gives no member a Required column),
 * so the chunk schema judges only the types of what a chunk does carry; that every chunk of the completion carries
 * id, object, created, model and choices, and every choice its index and its delta (chat) or text (completions), is
 * 2024-10-21's chunk and every service's practice: judged here, at the level of the case's requirement (SHOULD).
 */
import { CHOICE_WITHOUT_INDEX, chunkChoices, isContentChunk, isEmptyIdentity, type Json, type Kind, list, onStream } from './stream-data.ts';
import { type CheckDefinition, fail, noArgs, pass } from './types.ts';

const CHUNK_MEMBERS = ['id', 'object', 'created', 'model', 'choices'] as const;
const CHOICE_MEMBERS: Record<Kind, readonly string[]> = { chat: ['index', 'delta'], completions: ['index', 'text'] };

/** A chunk of the completion itself: not Azure's empty-identity or annotation events, not an error or usage-only payload. */
function isCompletionChunk(chunk: Json, kind: Kind): boolean {
  if (isEmptyIdentity(chunk) || ('error' in chunk && !('choices' in chunk))) return false;
  const choices = chunkChoices(chunk);
  if (choices.length === 0) return false;
  const carries = kind === 'chat' ? 'delta' : 'text';
  // An annotation event's choices carry filter results and no content; anything else is a piece of the completion.
  return choices.some((c) => carries in c || !('content_filter_results' in c));
}

export const streamChunkMembers: CheckDefinition = {
  name: 'stream-chunk-members',
  requirement: 'AOAI-STREAM-CHUNK-MEMBERS',
  category: 'streaming',
  description: 'Looks in every chunk, and in each of its choices, for the members its requirement lists (2024-10-21 and the services send them all).',
  args: noArgs,
  run: onStream(({ chunks, kind }) => {
    const expected = `chunks with ${CHUNK_MEMBERS.join(', ')}; choices with ${CHOICE_MEMBERS[kind].join(', ')}`;
    const own = chunks.filter(({ chunk }) => isCompletionChunk(chunk, kind));
    if (own.length === 0) return fail(expected, '(no chunks of the completion)', 'the stream has no chunks of the completion to judge');
    const missing: string[] = [];
    for (const { event, chunk } of own) {
      const lacks: string[] = CHUNK_MEMBERS.filter((m) => !(m in chunk));
      chunkChoices(chunk).forEach((choice, i) => {
        if ('content_filter_results' in choice && !(CHOICE_MEMBERS[kind][1] in choice)) return;
        for (const m of CHOICE_MEMBERS[kind]) if (!(m in choice)) lacks.push(`choices[${i}].${m}`);
      });
      if (lacks.length) missing.push(`event ${event} lacks ${lacks.join(', ')}`);
    }
    if (missing.length === 0) return pass(expected, `${own.length} chunk(s) carry them`);
    // A choice without its index is stream-choice-indexes' finding too: reported once.
    const findings = missing.some((m) => m.includes('].index')) ? [CHOICE_WITHOUT_INDEX] : undefined;
    return { ...fail(expected, missing.slice(0, 10), `${missing.length} of ${own.length} chunk(s) lack members: ${list(missing, 2)}`), ...(findings ? { findings } : {}) };
  }),
};


export const streamChunkObject: CheckDefinition = {
  name: 'stream-chunk-object',
  requirement: 'AOAI-STREAM-CHUNK-OBJECT',
  category: 'streaming',
  description: 'Reads the `object` of every content chunk (chat: `chat.completion.chunk`; completions: `text_completion`, the shape of the non-stream response).',
  args: noArgs,
  run: onStream(({ chunks, kind }) => {
    const expected = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
    const content = chunks.filter(({ chunk }) => isContentChunk(chunk, kind));
    if (content.length === 0) return fail(`content chunks with object ${expected}`, '(no content chunks)', 'the stream has no content chunks');
    const wrong = content.filter(({ chunk }) => chunk.object !== expected);
    if (wrong.length === 0) return pass(expected, `${content.length} content chunks`);
    const seen = [...new Set(wrong.map(({ chunk }) => JSON.stringify(chunk.object ?? null)))];
    return fail(expected, seen, `${wrong.length} of ${content.length} content chunks have object ${seen.join(', ')}, expected "${expected}"`);
  }),
};

export const streamChunkIdentity: CheckDefinition = {
  name: 'stream-chunk-identity',
  requirement: 'AOAI-STREAM-CHUNK-IDENTITY',
  category: 'streaming',
  description: "Compares the `id`, `created` and `model` of every chunk with the first chunk's, leaving out Azure's content-filter events with an empty identity.",
  args: noArgs,
  run: onStream(({ chunks }) => {
    const own = chunks.filter(({ chunk }) => 'choices' in chunk && !isEmptyIdentity(chunk));
    if (own.length === 0) return fail('chunks sharing one id, created and model', '(no chunks)', 'the stream has no chunks');
    const first = own[0].chunk;
    const changes: string[] = [];
    for (const field of ['id', 'created', 'model'] as const) {
      const other = own.find(({ chunk }) => chunk[field] !== first[field]);
      if (other) changes.push(`${field} ${JSON.stringify(first[field])} becomes ${JSON.stringify(other.chunk[field])} at event ${other.event}`);
    }
    const expected = { id: first.id, created: first.created, model: first.model };
    return changes.length ? fail(expected, changes, `chunks of one completion disagree: ${changes.join('; ')}`) : pass(expected, `${own.length} chunks agree`);
  }),
};

export const CHECKS: CheckDefinition[] = [streamChunkMembers, streamChunkObject, streamChunkIdentity];

