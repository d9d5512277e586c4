/**
 * Both legal stream shapes pass every streaming case: Azure's (prompt-filter first event with an empty identity,
 * annotation events without a delta, one after the finish chunk, an SSE comment, many tokens per chunk) and the
 * plain OpenAI one, with LF, CRLF or CR line endings, in every profile the case applies to.
 */
import { describe, expect, it } from 'vitest';
import { STREAM_EOL_HEADER, STREAM_SHAPE_HEADER } from '../../emulator/stream.ts';
import type { CaseSpec, ProfileName } from '../../src/model.ts';
import { PROFILES } from '../../src/model.ts';
import { cases, runAgainst, withEmulator } from '../helpers.ts';

/** Every case that expects a stream (stream: true, judged by stream-sse). */
const streaming = cases.filter((c) => c.expect.some((e) => e.check === 'stream-sse'));

function shaped(spec: CaseSpec, shape: string, eol: string): CaseSpec {
  return { ...spec, request: { ...spec.request, headers: { ...spec.request.headers, [STREAM_SHAPE_HEADER]: shape, [STREAM_EOL_HEADER]: eol } } };
}

const runs: Array<{ profile: ProfileName; shape: string; eol: string }> = PROFILES.flatMap((profile) =>
  ['azure', 'openai'].flatMap((shape) => ['lf', 'crlf', 'cr'].map((eol) => ({ profile, shape, eol }))),
);

describe('streaming cases exist', () => {
  it('covers chat and completions streaming', () => {
    expect(streaming.filter((c) => c.operation === 'chat.completions').length).toBeGreaterThan(3);
    expect(streaming.filter((c) => c.operation === 'completions').length).toBeGreaterThan(3);
  });
});

describe.each(runs)('every streaming case passes: $profile profile, $shape-shaped stream, $eol line endings', ({ profile, shape, eol }) => {
  const applicable = streaming.filter((c) => c.profiles.includes(profile));
  it.skipIf(applicable.length === 0)(`${applicable.length} case(s)`, async () => {
    await withEmulator([], async (url) => {
      for (const spec of applicable) {
        const result = await runAgainst(url, shaped(spec, shape, eol), profile);
        const failed = result.checks.filter((c) => c.status !== 'pass').map((c) => `${c.check}: ${c.status}: ${c.message}`);
        expect(failed, `${spec.id}`).toEqual([]);
        expect(result.status, spec.id).toBe('pass');
        const sse = result.exchange?.response?.sse;
        expect(sse, `${spec.id} streamed`).toBeDefined();
        const counts = sse!.diagnostics.lineEndings;
        expect(counts[eol as keyof typeof counts], `${spec.id} uses ${eol}`).toBeGreaterThan(0);
      }
    });
  });
});

describe('the Azure shape really is Azure-shaped (so the runs above prove something)', () => {
  it.each(['chat-stream-basic'])('%s carries the prompt-filter first event, a comment, and annotations after the finish chunk', async (id) => {
    const spec = cases.find((c) => c.id === id)!;
    const result = await withEmulator([], (url) => runAgainst(url, shaped(spec, 'azure', 'lf'), 'azure-openai'));
    const sse = result.exchange!.response!.sse!;
    const payloads = sse.events.map((e) => (e.data === '[DONE]' ? '[DONE]' : (JSON.parse(e.data) as Record<string, unknown>)));
    const first = payloads[0] as Record<string, unknown>;
    expect(first).toMatchObject({ choices: [], id: '', object: '', created: 0, model: '' });
    expect(first.prompt_filter_results).toBeDefined();
    expect(sse.diagnostics.commentCount).toBeGreaterThan(0);
    const finishAt = payloads.findIndex((p) => typeof p === 'object' && (p.choices as Array<Record<string, unknown>>).some((c) => c.finish_reason));
    const annotationAfterFinish = payloads.slice(finishAt + 1).some((p) => typeof p === 'object' && p.id === '' && (p.choices as Array<Record<string, unknown>>).some((c) => !('delta' in c) && c.content_filter_results));
    expect(annotationAfterFinish).toBe(true);
    // Many tokens per chunk: at least one delta holds several words.
    const contents = payloads.flatMap((p) => (typeof p === 'object' ? (p.choices as Array<Record<string, unknown>>) : [])).map((c) => (c.delta as { content?: string } | undefined)?.content ?? '');
    expect(contents.some((t) => t.trim().split(/\s+/).length >= 4)).toBe(true);
  });

  it('the plain shape has none of Azure’s filter events', async () => {
    const spec = cases.find((c) => c.id === 'chat-stream-basic')!;
    const result = await withEmulator([], (url) => runAgainst(url, shaped(spec, 'openai', 'lf'), 'azure-openai'));
    const sse = result.exchange!.response!.sse!;
    expect(sse.diagnostics.commentCount).toBe(0);
    expect(sse.events.filter((e) => e.data !== '[DONE]').every((e) => (JSON.parse(e.data) as { id: string }).id !== '')).toBe(true);
  });
});
