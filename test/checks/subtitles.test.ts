/** The SubRip and WebVTT grammars of src/checks/audio.ts on documents real services send, and on broken ones. */
import { describe, expect, it } from 'vitest';
import { parseSrt, parseVtt } from '../../src/checks/audio.ts';

// As Whisper (OpenAI, Azure OpenAI) writes them, including the trailing blank line.
const WHISPER_SRT = '1\n00:00:00,000 --> 00:00:01,260\nHello world.\n\n';
const WHISPER_VTT = 'WEBVTT\n\n00:00:00.000 --> 00:00:01.260\nHello world.\n\n';

describe('parseSrt', () => {
  it('accepts a Whisper srt document', () => {
    expect(parseSrt(WHISPER_SRT)).toEqual({ cues: [{ start: 0, end: 1.26, text: ['Hello world.'] }], problems: [] });
  });

  it('accepts several cues, multi-line text, CRLF line ends, a BOM and hours past 99', () => {
    const doc = '\uFEFF1\r\n00:00:00,000 --> 00:00:02,500\r\nHello\r\nworld.\r\n\r\n2\r\n100:00:02,500 --> 100:00:04,000\r\nBye.\r\n';
    const { cues, problems } = parseSrt(doc);
    expect(problems).toEqual([]);
    expect(cues.map((c) => [c.start, c.end, c.text])).toEqual([
      [0, 2.5, ['Hello', 'world.']],
      [360_002.5, 360_004, ['Bye.']],
    ]);
  });

  it.each([
    ['WebVTT-style "." before the milliseconds', '1\n00:00:00.000 --> 00:00:01.260\nHello.\n', /timestamps in .* are not HH:MM:SS,mmm/],
    ['no cue number', '00:00:00,000 --> 00:00:01,260\nHello.\n', /not a cue number/],
    ['a cue without text', '1\n00:00:00,000 --> 00:00:01,260\n\n2\n00:00:01,260 --> 00:00:02,000\nMore.\n', /has no text line/],
    ['a cue that ends before it starts', '1\n00:00:02,000 --> 00:00:01,000\nHello.\n', /ends .* before it starts/],
    ['an empty document', '\n', /no cues/],
    ['a JSON body', '{"text":"Hello world."}', /not a cue number/],
    ['minutes past 59', '1\n00:61:00,000 --> 00:62:00,000\nHello.\n', /are not HH:MM:SS,mmm/],
  ])('rejects %s', (_name, doc, problem) => {
    const { problems } = parseSrt(doc);
    expect(problems.join('\n')).toMatch(problem);
  });
});

describe('parseVtt', () => {
  it('accepts a Whisper vtt document', () => {
    expect(parseVtt(WHISPER_VTT)).toEqual({ cues: [{ start: 0, end: 1.26, text: ['Hello world.'] }], problems: [] });
  });

  it('accepts a header text, header lines, NOTE and STYLE blocks, cue identifiers, settings, short timestamps and an empty payload', () => {
    const doc = [
      'WEBVTT - transcript',
      'Kind: captions',
      '',
      'NOTE made by a test',
      '',
      'STYLE',
      '::cue { color: lime }',
      '',
      'intro',
      '00:00.000 --> 00:01.500 align:start position:10%',
      'Hello',
      '',
      '01:00:01.500 --> 01:00:02.000',
      '',
    ].join('\r\n');
    const { cues, problems } = parseVtt(doc);
    expect(problems).toEqual([]);
    expect(cues.map((c) => [c.start, c.end, c.text])).toEqual([
      [0, 1.5, ['Hello']],
      [3601.5, 3602, []],
    ]);
  });

  it.each([
    ['no WEBVTT line', '00:00:00.000 --> 00:00:01.260\nHello.\n', /does not start with the "WEBVTT" line/],
    ['"WEBVTTX" as the signature', 'WEBVTTX\n\n00:00:00.000 --> 00:00:01.260\nHello.\n', /does not start/],
    ['SubRip-style "," before the milliseconds', 'WEBVTT\n\n00:00:00,000 --> 00:00:01,260\nHello.\n', /are not \[HH:\]MM:SS\.mmm/],
    ['a cue that ends before it starts', 'WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nHello.\n', /before it starts/],
    ['a header and no cue', 'WEBVTT\n\n', /no cues/],
    ['an identifier with no timing line', 'WEBVTT\n\nintro\nHello.\n', /not a timing line/],
  ])('rejects %s', (_name, doc, problem) => {
    const { problems } = parseVtt(doc);
    expect(problems.join('\n')).toMatch(problem);
  });
});
