/**
 * The emulator's toStream, as a property: for any reply, in either shape and any line ending, the stream's chunks
 * reassemble exactly into the reply (content, tool calls, function calls, logprobs, finish reasons) and end with
 * one [DONE].
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FaultSet } from '../../emulator/faults.ts';
import { type LineEnding, type StreamStyle, splitText, STREAM_EOL_HEADER, STREAM_SHAPE_HEADER, toStream } from '../../emulator/stream.ts';
import type { EmulatorReply, HandlerContext } from '../../emulator/types.ts';
import type { OperationId, ProfileName } from '../../src/model.ts';
import { SseParser } from '../../src/sse/reader.ts';

type Json = Record<string, unknown>;

function context(operation: OperationId, profile: ProfileName, style: StreamStyle, eol: LineEnding, body: Json = {}): HandlerContext {
  return {
    profile,
    operation,
    model: 'm',
    body: { stream: true, ...body },
    files: {},
    headers: { [STREAM_SHAPE_HEADER]: style, [STREAM_EOL_HEADER]: eol },
    query: new URLSearchParams(),
    faults: new FaultSet(),
    publish: () => '',
    error: () => ({ status: 500 }),
    invalid: () => ({ status: 400 }),
  };
}

async function payloads(reply: EmulatorReply): Promise<{ chunks: Json[]; tail: string[] }> {
  expect(reply.stream).toBeDefined();
  const parser = new SseParser();
  const events = [];
  for await (const piece of reply.stream!) events.push(...parser.push(Buffer.from(piece)));
  expect(parser.end().trailingUndispatched).toBeNull();
  const data = events.map((e) => e.data);
  expect(data.filter((d) => d === '[DONE]')).toHaveLength(1);
  expect(data.at(-1)).toBe('[DONE]');
  return { chunks: data.slice(0, -1).map((d) => JSON.parse(d) as Json), tail: data.slice(-1) };
}

const word = fc.stringMatching(/^[A-Za-z0-9,.!?'-]{1,12}$/);
const text = fc.array(fc.tuple(fc.constantFrom(' ', '  ', '\n', ''), word), { maxLength: 40 }).map((parts) => parts.map(([s, w]) => s + w).join(''));
const style = fc.constantFrom<StreamStyle>('azure', 'openai');
const eol = fc.constantFrom<LineEnding>('lf', 'crlf', 'cr');

describe('splitText', () => {
  it('splits any text into pieces that join back to it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (t) => {
        expect(splitText(t).join('')).toBe(t);
      }),
    );
  });
});

describe('chat streams reassemble into the reply', () => {
  it('content, roles and finish reasons of n choices', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 3 }), style, eol, async (contents, s, e) => {
        const body = {
          id: 'chatcmpl-x',
          object: 'chat.completion',
          created: 1,
          model: 'm',
          choices: contents.map((content, index) => ({ index, message: { role: 'assistant', content }, finish_reason: index % 2 ? 'length' : 'stop', logprobs: null })),
        };
        const { chunks } = await payloads(toStream({ status: 200, body }, context('chat.completions', 'azure-openai', s, e)));
        const got = contents.map(() => ({ content: '', finish: [] as unknown[], roles: [] as unknown[] }));
        for (const chunk of chunks) {
          for (const c of chunk.choices as Json[]) {
            if (!('delta' in c)) continue;
            const delta = c.delta as Json;
            const slot = got[c.index as number];
            if (typeof delta.content === 'string') slot.content += delta.content;
            if (delta.role !== undefined) slot.roles.push(delta.role);
            if (c.finish_reason) slot.finish.push(c.finish_reason);
          }
        }
        expect(got.map((g) => g.content)).toEqual(contents);
        expect(got.map((g) => g.roles)).toEqual(contents.map(() => ['assistant']));
        expect(got.map((g) => g.finish)).toEqual(contents.map((_, i) => [i % 2 ? 'length' : 'stop']));
      }),
      { numRuns: 60 },
    );
  });

  it('tool-call and function-call arguments, and logprob entries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), text, style, async (args, content, s) => {
        const argText = JSON.stringify({ value: args });
        const tokens = splitText(content);
        const body = {
          id: 'chatcmpl-y',
          object: 'chat.completion',
          created: 1,
          model: 'm',
          choices: [
            { index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: argText } }] }, finish_reason: 'tool_calls', logprobs: null },
            { index: 1, message: { role: 'assistant', content: null, function_call: { name: 'g', arguments: argText } }, finish_reason: 'function_call', logprobs: null },
            { index: 2, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: { content: tokens.map((token) => ({ token, logprob: -1, bytes: null, top_logprobs: [] })) } },
          ],
        };
        const { chunks } = await payloads(toStream({ status: 200, body }, context('chat.completions', 'openai', s, 'lf')));
        let toolArgs = '';
        let fnArgs = '';
        const logTokens: unknown[] = [];
        for (const chunk of chunks) {
          for (const c of chunk.choices as Json[]) {
            const delta = (c.delta ?? {}) as Json;
            for (const f of (delta.tool_calls ?? []) as Json[]) toolArgs += ((f.function as Json).arguments as string) ?? '';
            if (delta.function_call) fnArgs += ((delta.function_call as Json).arguments as string) ?? '';
            const lp = c.logprobs as { content?: Json[] } | null | undefined;
            if (lp?.content) logTokens.push(...lp.content.map((t) => t.token));
          }
        }
        expect(toolArgs).toBe(argText);
        expect(fnArgs).toBe(argText);
        expect(logTokens).toEqual(tokens);
      }),
      { numRuns: 40 },
    );
  });
});

describe('completions streams reassemble into the reply', () => {
  it('text, logprob tokens and finish reasons, in every profile', async () => {
    await fc.assert(
      fc.asyncProperty(text, style, eol, fc.constantFrom<ProfileName>('azure-openai', 'openai', 'model-inference'), async (t, s, e, profile) => {
        const tokens = splitText(t);
        const body = {
          id: 'cmpl-z',
          object: 'text_completion',
          created: 1,
          model: 'm',
          choices: [{ index: 0, text: t, finish_reason: 'length', logprobs: tokens.length ? { tokens, token_logprobs: tokens.map(() => -1), top_logprobs: tokens.map(() => null), text_offset: tokens.map((_, i) => i) } : null }],
        };
        const { chunks } = await payloads(toStream({ status: 200, body }, context('completions', profile, s, e)));
        let joined = '';
        const logTokens: unknown[] = [];
        const finish: unknown[] = [];
        for (const chunk of chunks) {
          if (chunk.object !== 'text_completion') continue;
          for (const c of chunk.choices as Json[]) {
            expect('finish_reason' in c).toBe(true);
            joined += c.text as string;
            if (c.finish_reason) finish.push(c.finish_reason);
            const lp = c.logprobs as { tokens?: unknown[] } | null;
            if (lp?.tokens) logTokens.push(...lp.tokens);
          }
        }
        expect(joined).toBe(t);
        expect(logTokens).toEqual(tokens);
        expect(finish).toEqual(['length']);
      }),
      { numRuns: 60 },
    );
  });
});

describe('what toStream leaves alone', () => {
  it('a body that is not a JSON object is returned as it is', () => {
    const reply = { status: 200, body: 'plain' };
    expect(toStream(reply, context('chat.completions', 'openai', 'openai', 'lf'))).toBe(reply);
  });
});
