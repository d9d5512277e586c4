/**
 * Checks specific to audio transcriptions and translations. Each check: one rule, a name, an args schema;
 * see ./types.ts. The text formats (text, srt, vtt) are judged on the raw body, the JSON ones on the parse.
 */
import { snippet, typeName } from './body.ts';
import { type CheckDefinition, type CheckOutcome, fail, isRecord, noArgs, pass, verdict } from './types.ts';

/** Slack for float timestamps (Whisper's are float32 multiples of 20 ms, e.g. 3.319999933242798). */
const TIME_EPSILON = 0.01;

export interface Cue {
  start: number;
  end: number;
  text: string[];
}

export interface SubtitleParse {
  cues: Cue[];
  problems: string[];
}

/** Text as a subtitle parser sees it: no byte-order mark, LF line ends, no trailing blank lines. */
function normalise(body: string): string {
  return body.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replace(/\s+$/, '');
}

/** Blocks separated by one or more blank (or whitespace-only) lines. */
function blocks(text: string): string[][] {
  return text === '' ? [] : text.split(/\n(?:[ \t]*\n)+/).map((b) => b.split('\n'));
}

const TIMING_LINE = /^(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t]+.*)?$/;
const SRT_TIME = /^(\d{2,}):([0-5]\d):([0-5]\d),(\d{3})$/;
const VTT_TIME = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;

function seconds(m: RegExpExecArray): number {
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
}

/** Parses a cue timing line with the format's timestamp grammar; undefined and a problem when it does not match. */
function timing(line: string | undefined, time: RegExp, where: string, problems: string[]): { start: number; end: number } | undefined {
  const m = TIMING_LINE.exec(line ?? '');
  const start = m && time.exec(m[1]);
  const end = m && time.exec(m[2]);
  if (!start || !end) {
    const format = time === SRT_TIME ? 'HH:MM:SS,mmm' : '[HH:]MM:SS.mmm';
    problems.push(m ? `${where}: timestamps in ${JSON.stringify(line)} are not ${format}` : `${where}: ${JSON.stringify(line ?? '')} is not a timing line "start --> end"`);
    return undefined;
  }
  const cue = { start: seconds(start), end: seconds(end) };
  if (cue.start > cue.end) problems.push(`${where}: ends (${m[2]}) before it starts (${m[1]})`);
  return cue;
}

/**
 * SubRip: cues separated by blank lines, each a counter line (an integer), a timing line
 * `HH:MM:SS,mmm --> HH:MM:SS,mmm` and at least one line of text.
 */
export function parseSrt(body: string): SubtitleParse {
  const problems: string[] = [];
  const cues: Cue[] = [];
  blocks(normalise(body).replace(/^\n+/, '')).forEach((lines, i) => {
    const where = `cue ${i + 1}`;
    if (!/^\d+$/.test(lines[0].trim())) problems.push(`${where}: ${JSON.stringify(lines[0])} is not a cue number`);
    const t = timing(lines[1], SRT_TIME, where, problems);
    const text = lines.slice(2);
    if (text.length === 0) problems.push(`${where}: has no text line`);
    if (t) cues.push({ ...t, text });
  });
  if (cues.length === 0 && problems.length === 0) problems.push('the document has no cues');
  return { cues, problems };
}

/**
 * WebVTT: a "WEBVTT" signature line (optionally followed by a space or tab and text), header lines up to
 * the first blank line, then blocks: NOTE / STYLE / REGION blocks (skipped), or cues of an optional
 * identifier line, a timing line `[HH:]MM:SS.mmm --> [HH:]MM:SS.mmm [settings]` and a payload (may be empty).
 */
export function parseVtt(body: string): SubtitleParse {
  const problems: string[] = [];
  const cues: Cue[] = [];
  const [header, ...rest] = blocks(normalise(body));
  if (!header || !/^WEBVTT(?:[ \t].*)?$/.test(header[0])) {
    problems.push(`the document does not start with the "WEBVTT" line (it starts ${JSON.stringify((header?.[0] ?? '').slice(0, 40))})`);
    return { cues, problems };
  }
  rest.forEach((lines, i) => {
    if (/^(?:NOTE(?:[ \t].*)?|STYLE[ \t]*|REGION[ \t]*)$/.test(lines[0])) return;
    const where = `block ${i + 1}`;
    const timingAt = lines[0].includes('-->') ? 0 : 1;
    const t = timing(lines[timingAt], VTT_TIME, where, problems);
    if (t) cues.push({ ...t, text: lines.slice(timingAt + 1) });
  });
  if (cues.length === 0 && problems.length === 0) problems.push('the document has no cues');
  return { cues, problems };
}

function grammarOutcome(format: string, body: string, parse: SubtitleParse): CheckOutcome {
  if (parse.problems.length === 0) return pass(`a ${format} document`, `${parse.cues.length} well-formed cue(s)`);
  return fail(`a ${format} document`, { problems: parse.problems.slice(0, 5), body: snippet(body) }, `not a valid ${format} document: ${parse.problems.slice(0, 3).join('; ')}`);
}

export const srtGrammar: CheckDefinition = {
  name: 'audio-srt-grammar',
  requirement: 'AOAI-AUDIO-SRT',
  category: 'semantics',
  description: 'Parses an srt body cue by cue: the counter, the "HH:MM:SS,mmm --> HH:MM:SS,mmm" timing (start ≤ end), the text and the blank line between cues.',
  args: noArgs,
  run: ({ response }) => grammarOutcome('SubRip (srt)', response.bodyText, parseSrt(response.bodyText)),
};

export const vttGrammar: CheckDefinition = {
  name: 'audio-vtt-grammar',
  requirement: 'AOAI-AUDIO-VTT',
  category: 'semantics',
  description: `Parses a vtt body line by line: the "WEBVTT" first line, then each cue's "[HH:]MM:SS.mmm --> [HH:]MM:SS.mmm" timing (start ≤ end).`,
  args: noArgs,
  run: ({ response }) => grammarOutcome('WebVTT (vtt)', response.bodyText, parseVtt(response.bodyText)),
};

export const textFormatPlain: CheckDefinition = {
  name: 'audio-text-format-plain',
  requirement: 'AOAI-AUDIO-TEXT-FORMAT',
  category: 'semantics',
  description: 'Tries to parse a text-format body as JSON: an object, array or quoted string literal means it was not sent as the bare transcript.',
  args: noArgs,
  run({ response }) {
    const body = response.bodyText.trim();
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return pass('plain text', snippet(body));
    }
    // A transcript may legitimately read "42" or "true"; only JSON structures and quoted strings are encodings.
    const encoded = typeof parsed === 'string' || typeof parsed === 'object';
    return verdict(!encoded || parsed === null, 'plain text', snippet(body), `the body is a JSON ${typeName(parsed)}, not the plain transcript`);
  },
};

export const textPresent: CheckDefinition = {
  name: 'audio-text-present',
  requirement: 'AOAI-AUDIO-TEXT-PRESENT',
  category: 'semantics',
  description: "Reads the JSON body's `text` for the fixture, which contains speech.",
  needsJson: true,
  args: noArgs,
  run({ response }) {
    const text = isRecord(response.json) ? response.json.text : undefined;
    const ok = typeof text === 'string' && text.trim().length > 0;
    return verdict(ok, 'text: a non-empty string', text === undefined ? '(absent)' : text, `text is ${text === undefined ? 'absent' : JSON.stringify(text)}`);
  },
};

export const verboseTask: CheckDefinition = {
  name: 'audio-verbose-task',
  requirement: 'AOAI-AUDIO-VERBOSE-TASK',
  category: 'semantics',
  description: `Reads a verbose_json body's \`task\`, when present, against the operation the case calls ("transcribe" or "translate").`,
  needsJson: true,
  args: {
    type: 'object',
    additionalProperties: false,
    required: ['equals'],
    properties: { equals: { enum: ['transcribe', 'translate'] } },
  },
  run({ response, args }) {
    const task = isRecord(response.json) ? response.json.task : undefined;
    if (task === undefined) return pass(args.equals, '(absent)', 'task is absent (it is optional)');
    return verdict(task === args.equals, args.equals, task, `task is ${JSON.stringify(task)}, expected ${JSON.stringify(args.equals)}`);
  },
};

interface Timed {
  index: number;
  start: number;
  end: number;
}

function segmentsOf(json: unknown): unknown[] | undefined {
  return isRecord(json) && Array.isArray(json.segments) ? json.segments : undefined;
}

/** Segments with numeric start and end (both are optional in audioSegment; the schema check judges types). */
function timed(segments: unknown[]): Timed[] {
  return segments.flatMap((s, index) => (isRecord(s) && typeof s.start === 'number' && typeof s.end === 'number' ? [{ index, start: s.start, end: s.end }] : []));
}

const noSegments = (what: string): CheckOutcome => pass(what, '(no segments)', 'no segments to judge (segments are optional)');

export const segmentIds: CheckDefinition = {
  name: 'audio-segment-ids',
  requirement: 'AOAI-AUDIO-SEGMENT-IDS',
  category: 'semantics',
  description: 'Reads the verbose_json segment `id`s in list order, comparing each with the ones before.',
  needsJson: true,
  args: noArgs,
  run({ response }) {
    const segments = segmentsOf(response.json);
    if (!segments?.length) return noSegments('increasing ids');
    const ids = segments.map((s) => (isRecord(s) ? s.id : undefined)).filter((id): id is number => typeof id === 'number');
    const bad = ids.findIndex((id, i) => i > 0 && id <= ids[i - 1]);
    return verdict(bad === -1, 'distinct, increasing ids (e.g. 0..n-1)', ids, `segment ids ${JSON.stringify(ids)} do not increase (at position ${bad})`);
  },
};

export const segmentTimes: CheckDefinition = {
  name: 'audio-segment-times',
  requirement: 'AOAI-AUDIO-SEGMENT-TIMES',
  category: 'semantics',
  description: 'Compares the `start` and `end` of every verbose_json segment with 0 and with each other.',
  needsJson: true,
  args: noArgs,
  run({ response }) {
    const segments = segmentsOf(response.json);
    if (!segments?.length) return noSegments('0 ≤ start ≤ end');
    const bad = timed(segments).filter((s) => s.start < 0 || s.start > s.end + TIME_EPSILON);
    return verdict(bad.length === 0, '0 ≤ start ≤ end in every segment', bad.length ? bad.slice(0, 3) : 'all segments', `segment ${bad[0]?.index} runs from ${bad[0]?.start} to ${bad[0]?.end}`);
  },
};

export const segmentOrder: CheckDefinition = {
  name: 'audio-segment-order',
  requirement: 'AOAI-AUDIO-SEGMENT-ORDER',
  category: 'semantics',
  description: "Walks the verbose_json `segments` in list order, comparing each one's `start` with the previous one's `start` and `end`.",
  needsJson: true,
  args: noArgs,
  run({ response }) {
    const segments = segmentsOf(response.json);
    if (!segments?.length) return noSegments('ordered, non-overlapping segments');
    const list = timed(segments);
    const i = list.findIndex((s, k) => k > 0 && (s.start + TIME_EPSILON < list[k - 1].start || s.start + TIME_EPSILON < list[k - 1].end));
    if (i === -1) return pass('ordered, non-overlapping segments', list.map((s) => [s.start, s.end]));
    const [prev, cur] = [list[i - 1], list[i]];
    return fail('ordered, non-overlapping segments', list.map((s) => [s.start, s.end]), `segment ${cur.index} starts at ${cur.start}, before segment ${prev.index} (${prev.start}–${prev.end}) ends`);
  },
};

export const segmentWithinAudio: CheckDefinition = {
  name: 'audio-segment-within-audio',
  requirement: 'AOAI-AUDIO-SEGMENT-WITHIN-AUDIO',
  category: 'semantics',
  description: 'Compares the `end` of every verbose_json segment with the reported `duration`, allowing `tolerance` seconds (default 1).',
  needsJson: true,
  args: {
    type: 'object',
    additionalProperties: false,
    properties: { tolerance: { type: 'number', minimum: 0 } },
  },
  run({ response, args }) {
    const duration = isRecord(response.json) ? response.json.duration : undefined;
    const tolerance = typeof args.tolerance === 'number' ? args.tolerance : 1;
    if (typeof duration !== 'number') return pass(`segments within the duration`, `duration ${typeName(duration)}`, 'no numeric duration to compare with');
    const segments = segmentsOf(response.json);
    if (!segments?.length) return noSegments('segments within the duration');
    const late = timed(segments).filter((s) => s.end > duration + tolerance);
    return verdict(late.length === 0, `every segment ends by ${duration} s (+${tolerance} s)`, late.length ? late.slice(0, 3) : 'all segments', `segment ${late[0]?.index} ends at ${late[0]?.end}, after the audio's ${duration} s`);
  },
};

export const duration: CheckDefinition = {
  name: 'audio-duration',
  requirement: 'AOAI-AUDIO-DURATION',
  category: 'semantics',
  description: "Compares the verbose_json `duration`, when present, with the uploaded fixture's own length, within `tolerance` seconds (default 0.25).",
  needsJson: true,
  args: {
    type: 'object',
    additionalProperties: false,
    required: ['seconds'],
    properties: { seconds: { type: 'number', exclusiveMinimum: 0 }, tolerance: { type: 'number', minimum: 0 } },
  },
  run({ response, args }) {
    const actual = isRecord(response.json) ? response.json.duration : undefined;
    const expected = Number(args.seconds);
    const tolerance = typeof args.tolerance === 'number' ? args.tolerance : 0.25;
    if (actual === undefined) return pass(`${expected} s`, '(absent)', 'duration is absent (it is optional)');
    const ok = typeof actual === 'number' && Math.abs(actual - expected) <= tolerance;
    return verdict(ok, `${expected} ± ${tolerance} s`, actual, `duration is ${JSON.stringify(actual)}; the audio lasts ${expected} s`);
  },
};

export const CHECKS: CheckDefinition[] = [textPresent, textFormatPlain, srtGrammar, vttGrammar, verboseTask, segmentIds, segmentTimes, segmentOrder, segmentWithinAudio, duration];
