/**
 * POST …/audio/transcriptions and …/audio/translations: a deterministic speech-to-text "model".
 *
 * The transcript is a fixed sentence that states the audio's duration (read from the WAV header, or
 * estimated from the size of a compressed file), so the same file always gives the same answer.
 * Parameters (seed 003 §Transcripciones / §Traducciones, schemas/DECISIONS-azure-openai.md D21):
 *   file             required; must be audio (WAV is parsed; FLAC, MP3, MP4/M4A, Ogg and WebM are recognised
 *                    by their magic bytes), whatever the part's Content-Type says: the seed's own example
 *                    sends application/octet-stream.
 *   response_format  json (default, audioResponse), verbose_json (audioVerboseResponse), text, srt, vtt
 *                    (text/plain bodies); anything else is rejected.
 *   temperature      0..1 (multipart text, coerced to a number before validation); echoed in each segment's
 *                    `temperature` and lowers its `avg_logprob`.
 *   language         transcriptions only: the transcript is written in that language when the emulator
 *                    knows it (en, es, fr, de), and verbose_json names it; translations are always English.
 *   prompt           accepted as context and does not change the transcript (a real model uses it for style).
 */
import { deflateSync } from 'node:zlib';
import type { ProfileName } from '../src/model.ts';
import type { FaultSet } from './faults.ts';
import { tokenize } from './text.ts';
import type { EmulatorReply, HandlerContext, OperationHandler } from './types.ts';
import { type RequestProblem, requestProblem } from './validation.ts';

export type AudioTask = 'transcribe' | 'translate';
export const RESPONSE_FORMATS = ['json', 'text', 'srt', 'verbose_json', 'vtt'] as const;
export type AudioResponseFormat = (typeof RESPONSE_FORMATS)[number];

const SUPPORTED_FORMATS = "['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']";
/** Bit rate assumed to estimate the duration of a compressed file the emulator does not decode. */
const COMPRESSED_BITS_PER_SECOND = 128_000;
/** Whisper's timestamps have a 20 ms resolution; the emulator's segments use 10 ms. */
const TIME_STEP = 0.01;

export interface AudioProbe {
  container: 'wav' | 'mp3' | 'flac' | 'ogg' | 'mp4' | 'webm';
  durationSeconds: number;
}

/** What kind of audio a file is and how long it lasts, or why it is not audio. */
export function probeAudio(bytes: Buffer): AudioProbe | { problem: string } {
  if (bytes.length === 0) return { problem: 'The audio file is empty.' };
  const ascii = (from: number, to: number) => bytes.toString('latin1', from, to);
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return probeWav(bytes);
  const estimate = (container: AudioProbe['container']): AudioProbe => ({ container, durationSeconds: roundTo((bytes.length * 8) / COMPRESSED_BITS_PER_SECOND, 0.001) });
  if (ascii(0, 3) === 'ID3' || (bytes.length > 1 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0)) return estimate('mp3');
  if (ascii(0, 4) === 'fLaC') return estimate('flac');
  if (ascii(0, 4) === 'OggS') return estimate('ogg');
  if (ascii(4, 8) === 'ftyp') return estimate('mp4');
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x1a45dfa3) return estimate('webm');
  return { problem: `Invalid file format. Supported formats: ${SUPPORTED_FORMATS}` };
}

/** Duration of a RIFF/WAVE file from its fmt byte rate and data size (a data size past the end is clamped). */
function probeWav(bytes: Buffer): AudioProbe | { problem: string } {
  let byteRate = 0;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('latin1', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && body + 12 <= bytes.length) byteRate = bytes.readUInt32LE(body + 8);
    if (id === 'data') {
      if (!byteRate) return { problem: 'The audio file could not be decoded: the WAV data comes before a valid fmt chunk.' };
      const dataBytes = Math.min(size, bytes.length - body);
      return { container: 'wav', durationSeconds: roundTo(dataBytes / byteRate, 0.001) };
    }
    offset = body + size + (size % 2);
  }
  return { problem: 'The audio file could not be decoded: the WAV file has no data chunk.' };
}

function roundTo(value: number, step: number): number {
  return Number((Math.round(value / step) * step).toFixed(6));
}

function floorTo(value: number, step: number): number {
  return Number((Math.floor(value / step + 1e-9) * step).toFixed(6));
}

/** Language names as Whisper's verbose_json reports them, and the sentence the emulator "hears" in each. */
const LANGUAGES: Record<string, { name: string; sentence: (seconds: string) => string }> = {
  en: { name: 'english', sentence: (s) => `This is the reference emulator's transcript of ${s} seconds of audio.` },
  es: { name: 'spanish', sentence: (s) => `Esta es la transcripción del emulador de referencia de ${s} segundos de audio.` },
  fr: { name: 'french', sentence: (s) => `Ceci est la transcription de ${s} secondes d'audio par l'émulateur de référence.` },
  de: { name: 'german', sentence: (s) => `Dies ist die Transkription von ${s} Sekunden Audio durch den Referenzemulator.` },
};
const englishTranslation = (s: string) => `This is the reference emulator's English translation of ${s} seconds of audio.`;

export interface Segment {
  id: number;
  seek: number;
  start: number;
  end: number;
  text: string;
  tokens: number[];
  temperature: number;
  avg_logprob: number;
  compression_ratio: number;
  no_speech_prob: number;
}

export interface Transcript {
  task: AudioTask;
  language: string;
  duration: number;
  text: string;
  segments: Segment[];
}

/** A stable pseudo token id for a token (FNV-1a), in the range of Whisper's text tokens. */
function tokenId(token: string): number {
  let h = 0x811c9dc5;
  for (const ch of token) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return 50_365 + (h % 10_000);
}

/** The transcript of `durationSeconds` of audio, cut into at least two segments that tile [0, duration]. */
export function transcribe(task: AudioTask, durationSeconds: number, language: string | undefined, temperature: number): Transcript {
  const spoken = task === 'transcribe' ? LANGUAGES[language?.toLowerCase() ?? 'en'] : undefined;
  const seconds = durationSeconds.toFixed(2);
  const text = spoken ? spoken.sentence(seconds) : task === 'translate' ? englishTranslation(seconds) : LANGUAGES.en.sentence(seconds);
  const words = text.split(' ');
  const count = Math.min(words.length, Math.max(2, Math.ceil(durationSeconds / 0.5)));
  const end = floorTo(durationSeconds, TIME_STEP);
  const segments: Segment[] = Array.from({ length: count }, (_, i) => {
    const segmentText = ` ${words.slice(Math.floor((i * words.length) / count), Math.floor(((i + 1) * words.length) / count)).join(' ')}`;
    const bytes = Buffer.from(segmentText, 'utf8');
    return {
      id: i,
      seek: 0,
      start: floorTo((end * i) / count, TIME_STEP),
      end: i === count - 1 ? end : floorTo((end * (i + 1)) / count, TIME_STEP),
      text: segmentText,
      tokens: tokenize(segmentText).map(tokenId),
      temperature,
      avg_logprob: Number((-0.2 - 0.5 * temperature).toFixed(4)),
      compression_ratio: Number((bytes.length / deflateSync(bytes).length).toFixed(4)),
      no_speech_prob: 0.01,
    };
  });
  const languageName = task === 'translate' ? 'english' : (spoken?.name ?? language ?? 'english');
  return { task, language: languageName, duration: durationSeconds, text, segments };
}

/** HH:MM:SS,mmm (SubRip) or HH:MM:SS.mmm (WebVTT). */
export function timestamp(seconds: number, separator: ',' | '.'): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
}

export function toSrt(t: Transcript, faults: FaultSet): string {
  const separator = faults.has('audio-srt-dot-millis') ? '.' : ',';
  return t.segments.map((s, i) => `${i + 1}\n${timestamp(s.start, separator)} --> ${timestamp(s.end, separator)}\n${s.text.trim()}\n\n`).join('');
}

export function toVtt(t: Transcript, faults: FaultSet): string {
  const cues = t.segments.map((s) => `${timestamp(s.start, '.')} --> ${timestamp(s.end, '.')}\n${s.text.trim()}\n\n`).join('');
  return faults.has('audio-vtt-no-header') ? cues : `WEBVTT\n\n${cues}`;
}

function verboseBody(t: Transcript, faults: FaultSet): Record<string, unknown> {
  const otherTask: AudioTask = t.task === 'transcribe' ? 'translate' : 'transcribe';
  const segments = t.segments.map((s, i, all) => {
    const seg: Segment = { ...s };
    if (faults.has('audio-segment-ids-repeat')) seg.id = 0;
    if (faults.has('audio-segment-end-before-start')) [seg.start, seg.end] = [s.end, s.start];
    if (faults.has('audio-segments-overlap') && i > 0) seg.start = Number(Math.max(0, all[i - 1].end - 0.2).toFixed(2));
    if (faults.has('audio-segment-times-ms')) [seg.start, seg.end] = [Math.round(seg.start * 1000), Math.round(seg.end * 1000)];
    return seg;
  });
  let duration: unknown = t.duration;
  if (faults.has('audio-duration-ms')) duration = Math.round(t.duration * 1000);
  if (faults.has('audio-verbose-duration-string')) duration = t.duration.toFixed(2);
  return {
    task: faults.has('audio-verbose-task-wrong') ? otherTask : t.task,
    language: t.language,
    duration,
    text: faults.has('audio-text-empty') ? '' : t.text,
    segments,
  };
}

function reply(t: Transcript, format: AudioResponseFormat, faults: FaultSet): EmulatorReply {
  const plain = (body: string, contentType = 'text/plain; charset=utf-8'): EmulatorReply => ({ status: 200, body, contentType });
  switch (format) {
    case 'json':
      if (faults.has('audio-json-text-missing')) return { status: 200, body: { transcript: t.text } };
      return { status: 200, body: { text: faults.has('audio-text-empty') ? '' : t.text } };
    case 'verbose_json':
      return { status: 200, body: verboseBody(t, faults) };
    case 'text':
      // Whisper ends a text transcript with a newline.
      return plain(faults.has('audio-text-json-encoded') ? JSON.stringify(t.text) : `${t.text}\n`);
    case 'srt':
      return plain(toSrt(t, faults), faults.has('audio-subtitle-media-types') ? 'application/x-subrip' : undefined);
    case 'vtt':
      return plain(toVtt(t, faults), faults.has('audio-subtitle-media-types') ? 'text/vtt; charset=utf-8' : undefined);
  }
}

/** A JSON-number-looking multipart value becomes a number; anything else stays a string for the schema to reject. */
function coerceNumber(value: unknown): unknown {
  return typeof value === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value) ? Number(value) : value;
}

/** The multipart text fields as the request component sees them: numbers coerced, no `file` (only a file part counts). */
function requestFields(body: Record<string, unknown>): Record<string, unknown> {
  const { file: _notAFilePart, ...fields } = body;
  if ('temperature' in fields) fields.temperature = coerceNumber(fields.temperature);
  return fields;
}

/** The first problem with the request's fields per createTranscriptionRequest / createTranslationRequest. */
function fieldProblem(component: string, object: Record<string, unknown>, profile: ProfileName, faults: FaultSet): RequestProblem | undefined {
  return requestProblem(
    component,
    object,
    profile,
    faults,
    (i) =>
      (faults.has('audio-temperature-unchecked') && i.pointer === '/temperature' && (i.keyword === 'minimum' || i.keyword === 'maximum')) ||
      (faults.has('audio-response-format-unchecked') && i.pointer === '/response_format'),
  );
}

function handleAudio(ctx: HandlerContext, task: AudioTask, component: string): EmulatorReply {
  const { faults } = ctx;
  const file = ctx.files.file;
  if (!file && !faults.has('audio-file-required-unchecked')) return ctx.invalid("Missing required parameter: 'file' (an audio file part of the multipart body).", 'file');

  const object = requestFields(ctx.body);
  // The file part itself was checked above; the schema sees a placeholder for its bytes.
  const problem = fieldProblem(component, { ...object, file: 'audio' }, ctx.profile, faults);
  if (problem) return ctx.invalid(problem.message, problem.param);

  let durationSeconds = 0;
  if (file) {
    const probe = probeAudio(file.bytes);
    if ('problem' in probe) {
      if (!faults.has('audio-non-audio-accepted')) return ctx.invalid(probe.problem, 'file');
      durationSeconds = roundTo((file.bytes.length * 8) / COMPRESSED_BITS_PER_SECOND, 0.001);
    } else {
      durationSeconds = probe.durationSeconds;
    }
  }

  const requested = object.response_format;
  const format: AudioResponseFormat = (RESPONSE_FORMATS as readonly unknown[]).includes(requested) ? (requested as AudioResponseFormat) : requested === undefined && faults.has('audio-default-format-text') ? 'text' : 'json';
  const temperature = typeof object.temperature === 'number' ? object.temperature : 0;
  const language = task === 'transcribe' && typeof object.language === 'string' && object.language !== '' ? object.language : undefined;
  return reply(transcribe(task, durationSeconds, language, temperature), format, faults);
}

export const transcriptionsHandler: OperationHandler = {
  operation: 'audio.transcriptions',
  bodyKind: 'multipart',
  handle: (ctx) => handleAudio(ctx, 'transcribe', 'createTranscriptionRequest'),
};

export const translationsHandler: OperationHandler = {
  operation: 'audio.translations',
  bodyKind: 'multipart',
  handle: (ctx) => handleAudio(ctx, 'translate', 'createTranslationRequest'),
};
