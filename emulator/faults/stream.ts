/** Fault switches of streaming (SSE) for chat and completions. Each breaks exactly one rule. Implemented in emulator/stream.ts. */
import type { Fault } from './types.ts';

export const FAULTS = [
  {
    id: 'stream-json-for-stream',
    category: 'streaming',
    breaks: '`stream: true` is answered with the plain JSON document instead of an event stream',
    proof: [{ case: 'chat-stream-basic', fails: 'stream-sse' }, { case: 'completions-stream-mi-basic', fails: 'stream-sse' }],
  },
  {
    id: 'stream-content-type-text',
    category: 'streaming',
    breaks: 'the event stream is labelled text/plain instead of text/event-stream',
    proof: [{ case: 'chat-stream-basic', fails: 'stream-sse' }],
  },
  {
    id: 'stream-content-type-missing',
    category: 'streaming',
    breaks: 'the event stream is sent with no Content-Type header at all',
    proof: [{ case: 'chat-stream-basic', fails: 'stream-sse' }, { case: 'completions-stream-mi-basic', fails: 'stream-sse' }],
  },
  {
    id: 'stream-sse-for-non-stream',
    category: 'streaming',
    breaks: 'a request without `stream: true` is answered with an event stream',
    proof: [{ case: 'chat-stream-false', fails: 'content-type' }, { case: 'completions-stream-false', fails: 'content-type' }, { case: 'completions-stream-mi-false', fails: 'content-type' }],
  },
  {
    id: 'stream-missing-done',
    category: 'streaming',
    breaks: 'the stream ends without `data: [DONE]`',
    proof: [
      // No [DONE] at all is the stream's end going wrong (stream-done does not report it again); a bare [DONE] line is
      // a framing defect and a malformed terminator (stream-completes does not report it again).
      { case: 'chat-stream-basic', fails: 'stream-completes' },
      { case: 'completions-stream-mi-basic', fails: 'stream-completes' },
      { case: 'chat-stream-basic', fails: 'stream-completes', with: ['stream-content-type-missing'] },
    ],
  },
  { id: 'stream-done-twice', category: 'streaming', breaks: '`data: [DONE]` is sent twice', proof: [{ case: 'chat-stream-seed-example-pirate', fails: 'stream-done' }] },
  {
    id: 'stream-done-bare',
    category: 'streaming',
    breaks: 'the stream ends with a bare `[DONE]` line, without `data: `',
    proof: [
      { case: 'chat-stream-basic', fails: 'stream-done' },
      { case: 'completions-stream-mi-basic', fails: 'stream-framing' },
      { case: 'chat-stream-basic', fails: 'stream-done', with: ['stream-content-type-missing'] },
      { case: 'chat-stream-basic', fails: 'stream-framing', with: ['stream-content-type-missing'] },
      { case: 'completions-stream-mi-basic', fails: 'stream-done', with: ['stream-content-type-missing'] },
    ],
  },
  {
    id: 'stream-data-after-done',
    category: 'streaming',
    breaks: 'a chunk follows `data: [DONE]`',
    proof: [{ case: 'chat-stream-basic', fails: 'stream-done' }, { case: 'completions-stream-basic', fails: 'stream-done' }],
  },
  {
    id: 'stream-no-blank-lines',
    category: 'streaming',
    breaks: 'every other event lacks its blank-line separator, so pairs of events run together',
    proof: [{ case: 'chat-stream-basic', fails: 'stream-framing' }, { case: 'completions-stream-mi-basic', fails: 'stream-framing' }],
  },
  { id: 'stream-named-events', category: 'streaming', breaks: 'events carry an `event: chunk` field (the stream is not data-only)', proof: [{ case: 'chat-stream-basic', fails: 'stream-framing' }] },
  {
    id: 'stream-payload-not-json',
    category: 'streaming',
    breaks: 'one data payload is a cut-off JSON text',
    proof: [{ case: 'chat-stream-basic', fails: 'stream-payload-json' }, { case: 'completions-stream-mi-basic', fails: 'stream-payload-json' }],
  },
  {
    id: 'stream-chunk-created-string',
    category: 'streaming',
    breaks: 'chunk `created` is an ISO date string instead of a Unix timestamp',
    proof: [
      { case: 'chat-stream-basic', fails: 'stream-chunk-schema' },
      { case: 'completions-stream-basic', fails: 'stream-chunk-schema' },
      { case: 'completions-stream-mi-basic', fails: 'stream-chunk-schema' },
    ],
  },
  {
    id: 'stream-chunk-object-wrong',
    category: 'streaming',
    breaks: 'chunk `object` is "chat.completion" (chat) or "text_completion.chunk" (completions)',
    proof: [
      { case: 'chat-stream-basic', warns: 'stream-chunk-object' },
      { case: 'completions-stream-basic', warns: 'stream-chunk-object' },
      { case: 'completions-stream-mi-basic', fails: 'stream-chunk-object' },
    ],
    alterChunk: {
      operations: ['chat.completions', 'completions'],
      apply: (chunk, { operation }) => {
        chunk.object = operation === 'chat.completions' ? 'chat.completion' : 'text_completion.chunk';
      },
    },
  },
  {
    id: 'stream-id-changes',
    category: 'streaming',
    breaks: 'the chunk `id` changes half-way through the stream',
    proof: [
      { case: 'chat-stream-basic', warns: 'stream-chunk-identity' },
      { case: 'completions-stream-mi-basic', warns: 'stream-chunk-identity' },
      { case: 'chat-stream-basic', warns: 'stream-chunk-identity', with: ['stream-content-type-missing'], caseStatus: 'fail' },
    ],
    alterChunk: {
      operations: ['chat.completions', 'completions'],
      apply: (chunk, { index, count }) => {
        if (index >= count / 2) chunk.id = `${String(chunk.id)}-b`;
      },
    },
  },
  {
    id: 'stream-model-name',
    category: 'streaming',
    breaks: 'chunks name the model in `model_name` instead of `model`',
    proof: [
      { case: 'chat-stream-basic', warns: 'stream-chunk-members' },
      { case: 'completions-stream-mi-basic', warns: 'stream-chunk-members' },
      // An event stream not labelled one is still judged whole: a defect `with` stream-content-type-missing is reported
      // under its own requirement beside the missing Content-Type (which fails STREAM-SSE, a MUST, so the case fails).
      { case: 'chat-stream-basic', warns: 'stream-chunk-members', with: ['stream-content-type-missing'], caseStatus: 'fail' },
      { case: 'completions-stream-mi-basic', warns: 'stream-chunk-members', with: ['stream-content-type-missing'], caseStatus: 'fail' },
    ],
  },
  {
    id: 'stream-finish-reason-in-delta',
    category: 'streaming',
    breaks: 'chat chunks carry finish_reason inside `delta` instead of on the choice',
    proof: [{ case: 'chat-stream-basic', warns: 'stream-finish-once' }, { case: 'chat-stream-basic', warns: 'stream-finish-once', with: ['stream-content-type-missing'], caseStatus: 'fail' }],
  },
  {
    id: 'stream-index-in-delta',
    category: 'streaming',
    breaks: 'chat chunks carry the choice `index` inside `delta` instead of on the choice',
    proof: [{ case: 'chat-stream-n-2', warns: 'stream-choice-indexes' }, { case: 'chat-stream-basic', warns: 'stream-chunk-members', with: ['stream-content-type-missing'], caseStatus: 'fail' }],
  },
  {
    id: 'stream-no-role',
    category: 'streaming',
    breaks: 'the first delta of each choice carries no `role`',
    proof: [
      { case: 'chat-stream-basic', warns: 'stream-first-delta-role' },
      { case: 'chat-stream-basic', warns: 'stream-first-delta-role', with: ['stream-content-type-missing'], caseStatus: 'fail' },
    ],
  },
  {
    id: 'stream-finish-early',
    category: 'streaming',
    breaks: 'finish_reason arrives on the first chunk of a choice, before its content',
    proof: [{ case: 'chat-stream-basic', warns: 'stream-finish-once' }, { case: 'completions-stream-mi-seed-example', warns: 'stream-finish-once' }],
  },
  {
    id: 'stream-finish-twice',
    category: 'streaming',
    breaks: 'each choice sends its finish chunk twice',
    proof: [{ case: 'chat-stream-n-2', warns: 'stream-finish-once' }, { case: 'completions-stream-n-2', warns: 'stream-finish-once' }],
  },
  {
    id: 'stream-finish-never',
    category: 'streaming',
    breaks: 'no chunk carries a finish_reason',
    proof: [
      { case: 'chat-stream-seed-example-pirate', warns: 'stream-finish-once' },
      { case: 'completions-stream-basic', warns: 'stream-finish-once' },
      { case: 'completions-stream-prompt-array', warns: 'stream-finish-once' },
      { case: 'chat-stream-basic', warns: 'stream-finish-once', with: ['stream-content-type-missing'], caseStatus: 'fail' },
    ],
  },
  {
    id: 'stream-choice-index-from-one',
    category: 'streaming',
    breaks: 'chunk choice indexes start at 1 instead of 0',
    proof: [
      { case: 'chat-stream-n-2', warns: 'stream-choice-indexes' },
      { case: 'completions-stream-n-2', warns: 'stream-choice-indexes' },
      { case: 'completions-stream-prompt-array', warns: 'stream-choice-indexes' },
    ],
  },
  {
    id: 'stream-length-as-stop',
    category: 'streaming',
    breaks: 'a stream cut by max_tokens reports finish_reason "stop" instead of "length"',
    proof: [
      // A finish reason is judged only when the stream's usage proves the cut: these rows add usage.
      { case: 'chat-stream-max-tokens', warns: 'stream-finish-reason', with: ['stream-usage-unrequested'] },
      // STREAM-FINISH-LENGTH is SHOULD in seed 003 and MUST in seed 000: the one case warns or fails by profile.
      { case: 'completions-stream-max-tokens', warns: 'stream-finish-reason', with: ['stream-usage-unrequested'], profiles: ['azure-openai', 'openai'] },
      { case: 'completions-stream-max-tokens', fails: 'stream-finish-reason', with: ['stream-usage-unrequested'], profiles: ['model-inference'] },
    ],
  },
  {
    id: 'stream-tool-call-fragments-broken',
    category: 'streaming',
    breaks: 'tool-call argument fragments name an index no opening fragment used, so calls do not reassemble',
    proof: [{ case: 'chat-stream-tool-call', fails: 'stream-tool-calls' }],
  },
  {
    id: 'stream-tool-args-truncated',
    category: 'streaming',
    breaks: 'the last tool-call argument fragment is dropped, so the arguments are not JSON',
    proof: [{ case: 'chat-stream-tool-call', warns: 'stream-call-arguments-json' }],
  },
  {
    id: 'stream-function-call-broken',
    category: 'streaming',
    breaks: 'function_call fragments never carry the function name',
    proof: [{ case: 'chat-stream-function-call', fails: 'stream-function-call' }],
  },
  {
    id: 'stream-logprobs-missing',
    category: 'streaming',
    breaks: 'chunks carry `logprobs: null` although log probabilities were requested',
    proof: [{ case: 'chat-stream-logprobs', fails: 'stream-logprobs' }, { case: 'completions-stream-logprobs', fails: 'stream-logprobs' }],
  },
  {
    id: 'stream-usage-unrequested',
    category: 'streaming',
    breaks: 'the last chunk carries usage counts although the request did not ask for them',
    proof: [{ case: 'chat-stream-basic', warns: 'stream-usage-gated' }, { case: 'completions-stream-mi-basic', warns: 'stream-usage-gated' }],
  },
  {
    id: 'stream-usage-ignored',
    category: 'streaming',
    breaks: '`stream_options.include_usage` is ignored: no usage chunk (openai profile)',
    proof: [{ case: 'chat-stream-include-usage', warns: 'stream-usage-chunk' }, { case: 'completions-stream-include-usage', warns: 'stream-usage-chunk' }],
  },
  {
    id: 'stream-usage-total-wrong',
    category: 'streaming',
    breaks: 'the streamed usage.total_tokens is one more than prompt_tokens + completion_tokens',
    proof: [{ case: 'chat-stream-include-usage', fails: 'stream-usage-sums' }, { case: 'completions-stream-include-usage', fails: 'stream-usage-sums' }],
  },
  {
    id: 'stream-best-of-streamed',
    category: 'streaming',
    breaks: 'completions with best_of > 1 and stream: true are streamed, though best_of results cannot be',
    proof: [{ case: 'completions-stream-best-of', warns: 'stream-declined' }],
  },
  {
    id: 'stream-hang',
    category: 'streaming',
    breaks: 'the stream sends its headers and a few events, then falls silent without ending',
    proof: [
      // The hung stream meets the idle timeout: kept to one profile, since each run waits the timeout out.
      { case: 'chat-stream-basic', fails: 'stream-completes', profiles: ['openai'] },
    ],
  },
  {
    id: 'stream-endless',
    category: 'streaming',
    breaks: 'the stream never ends: content chunks keep coming instead of [DONE]',
    proof: [{ case: 'chat-stream-basic', fails: 'stream-completes' }, { case: 'completions-stream-mi-basic', fails: 'stream-completes' }],
  },
] as const satisfies readonly Fault[];
