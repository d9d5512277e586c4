/**
 * The audio checks on hand-made responses: what real services legally send passes (absent optional
 * fields, float32 timestamps, ids from 1, text with a trailing newline), and each broken rule fails.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.ts';
import type { CheckOutcome } from '../../src/checks/types.ts';
import type { RecordedResponse } from '../../src/model.ts';
import { SchemaRegistry } from '../../src/schemas/registry.ts';

function respond(body: string | object, contentType = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json'): RecordedResponse {
  const bodyText = typeof body === 'string' ? body : JSON.stringify(body);
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    json = undefined;
  }
  return { status: 200, headers: { 'content-type': contentType }, bodyText, bodyBytes: bodyText.length, truncated: false, json };
}

async function run(check: string, body: string | object, args: Record<string, unknown> = {}): Promise<CheckOutcome> {
  const def = CHECKS.get(check);
  if (!def) throw new Error(`no check ${check}`);
  return def.run({ response: respond(body), requestBody: {}, profile: 'azure-openai', surface: 'azure-openai/2024-06-01', schemas: SchemaRegistry.shared(), args });
}

const segment = (id: number, start: number, end: number) => ({ id, seek: 0, start, end, text: ' Hello', tokens: [50364], temperature: 0, avg_logprob: -0.3, compression_ratio: 0.9, no_speech_prob: 0.01 });
// The shape OpenAI's Whisper sends: float32 offsets, language as a name.
const WHISPER_VERBOSE = {
  task: 'transcribe',
  language: 'english',
  duration: 1.2599999904632568,
  text: 'Hello world.',
  segments: [segment(0, 0, 0.6399999856948853), segment(1, 0.6399999856948853, 1.3200000524520874)],
};

describe('audio-text-format-plain', () => {
  it.each([['a transcript with a trailing newline', 'Hello world.\n'], ['a transcript that reads as a JSON number', '42\n'], ['an empty transcript', '']])('passes %s', async (_n, body) => {
    expect((await run('audio-text-format-plain', body)).ok).toBe(true);
  });
  it.each([['a JSON string literal', '"Hello world."'], ['a JSON object', '{"text":"Hello world."}'], ['a JSON array', '["Hello"]']])('fails %s', async (_n, body) => {
    expect((await run('audio-text-format-plain', body)).ok).toBe(false);
  });
});

describe('audio-text-present', () => {
  it('passes a transcript', async () => expect((await run('audio-text-present', { text: 'Hello world.' })).ok).toBe(true));
  it('fails an empty or blank transcript', async () => {
    expect((await run('audio-text-present', { text: '' })).ok).toBe(false);
    expect((await run('audio-text-present', { text: '  ' })).ok).toBe(false);
  });
});

describe('audio-verbose-task', () => {
  it('passes the operation\'s task, and an absent task (optional)', async () => {
    expect((await run('audio-verbose-task', WHISPER_VERBOSE, { equals: 'transcribe' })).ok).toBe(true);
    expect((await run('audio-verbose-task', { text: 'Hi' }, { equals: 'translate' })).ok).toBe(true);
  });
  it('fails the other task', async () => expect((await run('audio-verbose-task', WHISPER_VERBOSE, { equals: 'translate' })).ok).toBe(false));
});

describe('verbose_json segments', () => {
  it('a Whisper response passes every segment check, with the float32 slack and the end just past duration', async () => {
    for (const check of ['audio-segment-ids', 'audio-segment-times', 'audio-segment-order', 'audio-segment-within-audio']) {
      expect((await run(check, WHISPER_VERBOSE)).ok, check).toBe(true);
    }
    expect((await run('audio-duration', WHISPER_VERBOSE, { seconds: 1.26 })).ok).toBe(true);
  });

  it('no segments and no duration (both optional) pass', async () => {
    for (const check of ['audio-segment-ids', 'audio-segment-times', 'audio-segment-order', 'audio-segment-within-audio']) {
      expect((await run(check, { text: 'Hi' })).ok, check).toBe(true);
    }
    expect((await run('audio-duration', { text: 'Hi' }, { seconds: 1.26 })).ok).toBe(true);
  });

  it('ids may start at 1 but must increase', async () => {
    expect((await run('audio-segment-ids', { text: '', segments: [segment(1, 0, 1), segment(2, 1, 2)] })).ok).toBe(true);
    expect((await run('audio-segment-ids', { text: '', segments: [segment(0, 0, 1), segment(0, 1, 2)] })).ok).toBe(false);
    expect((await run('audio-segment-ids', { text: '', segments: [segment(1, 0, 1), segment(0, 1, 2)] })).ok).toBe(false);
  });

  it('times: a segment that ends before it starts, or starts before 0, fails', async () => {
    expect((await run('audio-segment-times', { text: '', segments: [segment(0, 1, 0.5)] })).ok).toBe(false);
    expect((await run('audio-segment-times', { text: '', segments: [segment(0, -1, 0.5)] })).ok).toBe(false);
    expect((await run('audio-segment-times', { text: '', segments: [segment(0, 0.5, 0.5)] })).ok).toBe(true);
  });

  it('order: overlapping or out-of-order segments fail; touching ones pass', async () => {
    expect((await run('audio-segment-order', { text: '', segments: [segment(0, 0, 1), segment(1, 1, 2)] })).ok).toBe(true);
    expect((await run('audio-segment-order', { text: '', segments: [segment(0, 0, 1), segment(1, 0.8, 2)] })).ok).toBe(false);
    expect((await run('audio-segment-order', { text: '', segments: [segment(0, 1, 2), segment(1, 0, 1)] })).ok).toBe(false);
  });

  it('within-audio: an end in milliseconds fails; the tolerance is an argument', async () => {
    expect((await run('audio-segment-within-audio', { text: '', duration: 1.26, segments: [segment(0, 0, 1260)] })).ok).toBe(false);
    expect((await run('audio-segment-within-audio', { text: '', duration: 1.26, segments: [segment(0, 0, 1.5)] }, { tolerance: 0 })).ok).toBe(false);
  });

  it('duration: milliseconds, a string or another length fail', async () => {
    expect((await run('audio-duration', { text: '', duration: 1260 }, { seconds: 1.26 })).ok).toBe(false);
    expect((await run('audio-duration', { text: '', duration: '1.26' }, { seconds: 1.26 })).ok).toBe(false);
    expect((await run('audio-duration', { text: '', duration: 2 }, { seconds: 1.26 })).ok).toBe(false);
  });
});

describe('the subtitle grammar checks', () => {
  it('pass Whisper documents and fail the other format', async () => {
    const srt = '1\n00:00:00,000 --> 00:00:01,260\nHello world.\n\n';
    const vtt = 'WEBVTT\n\n00:00:00.000 --> 00:00:01.260\nHello world.\n\n';
    expect((await run('audio-srt-grammar', srt)).ok).toBe(true);
    expect((await run('audio-vtt-grammar', vtt)).ok).toBe(true);
    expect((await run('audio-srt-grammar', vtt)).ok).toBe(false);
    expect((await run('audio-vtt-grammar', srt)).ok).toBe(false);
  });
});
