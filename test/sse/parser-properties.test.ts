import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SseDiagnostics, SseEvent } from '../../src/sse/reader.ts';
import { bytesOf, parse } from './parse.ts';

// ---- property tests -------------------------------------------------------------------

/** One event block as a generator describes it. */
interface GenBlock {
  comments: string[];
  event?: string;
  id?: string;
  retry?: string;
  unknown?: [string, string];
  data: Array<{ value: string; space: boolean; bare: boolean }>;
  blankLinesAfter: number;
}

const lineChar = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom(':', ' ', '\0', '\t', '\uFEFF', '\uFFFD') },
  { weight: 2, arbitrary: fc.constantFrom('é', 'ß', '€', '中', '😀', '𝄞', '\u{10FFFF}') },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)) },
).filter((c) => c !== '\r' && c !== '\n' && !/^[\uD800-\uDFFF]$/.test(c));
const lineText = fc.string({ unit: lineChar, maxLength: 12 });

const blockArb: fc.Arbitrary<GenBlock> = fc.record(
  {
    comments: fc.array(lineText, { maxLength: 2 }),
    event: lineText,
    id: lineText,
    retry: fc.oneof(fc.stringMatching(/^[0-9]{1,6}$/), lineText),
    unknown: fc.tuple(fc.constantFrom('foo', 'Data', 'x-meta', 'ID'), lineText),
    data: fc.array(fc.record({ value: lineText, space: fc.boolean(), bare: fc.boolean() }), { maxLength: 3 }),
    blankLinesAfter: fc.integer({ min: 1, max: 2 }),
  },
  { requiredKeys: ['comments', 'data', 'blankLinesAfter'] },
);

interface GenStream {
  bom: boolean;
  blocks: GenBlock[];
  /** Line endings, used in turn for successive lines. */
  endings: string[];
}

const streamArb: fc.Arbitrary<GenStream> = fc.record({
  bom: fc.boolean(),
  blocks: fc.array(blockArb, { maxLength: 6 }),
  endings: fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 1, maxLength: 16 }),
});

function blockLines(block: GenBlock): string[] {
  const lines = block.comments.map((c) => `:${c}`);
  if (block.event !== undefined) lines.push(`event: ${block.event}`);
  if (block.id !== undefined) lines.push(`id: ${block.id}`);
  if (block.retry !== undefined) lines.push(`retry: ${block.retry}`);
  if (block.unknown) lines.push(`${block.unknown[0]}: ${block.unknown[1]}`);
  for (const { value, space, bare } of block.data) {
    if (value === '' && bare) lines.push('data');
    else lines.push(space || value.startsWith(' ') ? `data: ${value}` : `data:${value}`);
  }
  for (let i = 0; i < block.blankLinesAfter; i++) lines.push('');
  return lines;
}

/** Serialises a generated stream with the chosen line ending per line, tallying the styles used. */
function serialise(stream: GenStream): { bytes: Uint8Array; lineEndings: SseDiagnostics['lineEndings'] } {
  const tally = { lf: 0, crlf: 0, cr: 0 };
  let text = stream.bom ? '\uFEFF' : '';
  let previous = '';
  stream.blocks.flatMap(blockLines).forEach((line, i) => {
    let ending = stream.endings[i % stream.endings.length];
    // CR then an empty LF line reads as one CRLF, i.e. a different stream: avoid generating it.
    if (previous === '\r' && line === '' && ending === '\n') ending = '\r\n';
    tally[ending === '\n' ? 'lf' : ending === '\r' ? 'cr' : 'crlf']++;
    text += line + ending;
    previous = ending;
  });
  return { bytes: bytesOf(text), lineEndings: tally };
}

/** What a spec-following parser must dispatch for the generated stream. */
function expectedEvents(stream: GenStream): Array<Pick<SseEvent, 'event' | 'data' | 'id' | 'retry'>> {
  let lastId = '';
  const events: Array<Pick<SseEvent, 'event' | 'data' | 'id' | 'retry'>> = [];
  for (const block of stream.blocks) {
    if (block.id !== undefined && !block.id.includes('\0')) lastId = block.id;
    if (block.data.length === 0) continue;
    const event: Pick<SseEvent, 'event' | 'data' | 'id' | 'retry'> = {
      event: block.event || 'message',
      data: block.data.map((d) => d.value).join('\n'),
    };
    if (lastId !== '') event.id = lastId;
    if (block.retry !== undefined && /^[0-9]+$/.test(block.retry)) event.retry = Number(block.retry);
    events.push(event);
  }
  return events;
}

function checkAgainstModel(stream: GenStream, bytes: Uint8Array, parsed: ReturnType<typeof parse>): void {
  expect(parsed.events.map(({ event, data, id, retry }) => ({ event, data, id, retry }))).toEqual(expectedEvents(stream));
  expect(parsed.diagnostics.totalBytes).toBe(bytes.length);
  expect(parsed.diagnostics.bom).toBe(stream.bom);
  expect(parsed.diagnostics.trailingUndispatched).toBeNull();
  expect(parsed.diagnostics.invalidUtf8).toBe(false);
  expect(parsed.diagnostics.commentCount).toBe(stream.blocks.reduce((n, b) => n + b.comments.length, 0));
}

function chunksAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const positions = [0, ...cuts, bytes.length];
  return positions.slice(1).map((end, i) => bytes.subarray(positions[i], end));
}

describe('SseParser: properties', () => {
  it('parses generated streams as the model says, in one chunk', () => {
    fc.assert(
      fc.property(streamArb, (stream) => {
        const { bytes, lineEndings } = serialise(stream);
        const whole = parse([bytes]);
        checkAgainstModel(stream, bytes, whole);
        expect(whole.diagnostics.lineEndings).toEqual(lineEndings);
      }),
      { numRuns: 500 },
    );
  });

  it('gives identical events and diagnostics for a split at every byte position', () => {
    fc.assert(
      fc.property(streamArb, (stream) => {
        const { bytes } = serialise(stream);
        const whole = parse([bytes]);
        for (let cut = 0; cut <= bytes.length; cut++) {
          expect(parse(chunksAt(bytes, [cut]))).toEqual(whole);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('gives identical events and diagnostics for random multi-way splits (empty chunks included)', () => {
    fc.assert(
      fc.property(streamArb, fc.array(fc.nat(), { maxLength: 40 }), (stream, rawCuts) => {
        const { bytes } = serialise(stream);
        const cuts = rawCuts.map((n) => n % (bytes.length + 1)).sort((a, b) => a - b);
        const split = parse(chunksAt(bytes, cuts));
        expect(split).toEqual(parse([bytes]));
        checkAgainstModel(stream, bytes, split);
      }),
      { numRuns: 500 },
    );
  });

  it('gives identical results when fed one byte at a time', () => {
    fc.assert(
      fc.property(streamArb, (stream) => {
        const { bytes } = serialise(stream);
        const single = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
        expect(parse(single)).toEqual(parse([bytes]));
      }),
      { numRuns: 100 },
    );
  });
});
