/** Legal variations of transcription and translation responses. */
import { isRecord } from './json.ts';
import type { Variation } from './types.ts';

const AUDIO = ['audio.transcriptions', 'audio.translations'] as const;

export const VARIATIONS: Variation[] = [
  {
    id: 'audio-verbose-optional-omitted',
    responses: ['success'],
    area: 'audio',
    operations: AUDIO,
    does: 'verbose_json leaves out task and language, and each segment keeps only start, end and text (no id, seek, tokens, temperature, avg_logprob, compression_ratio, no_speech_prob)',
    allowedBy: [
      { seed: '003', quote: 'task | string | Tipo de tarea de audio. | No | |' },
      { seed: '003', quote: 'language | string | Idioma. | No | |' },
      { seed: '003', quote: 'id | integer | Identificador de segmento. | No | |' },
      { seed: '003', quote: 'avg_logprob | number | Probabilidad media del registro. | No | |' },
    ],
    because: 'audioVerboseResponse requires only text and every audioSegment member is optional; whisper servers other than OpenAI\'s send fewer',
    success(body, info) {
      if (info.request.response_format !== 'verbose_json') return;
      delete body.task;
      delete body.language;
      if (Array.isArray(body.segments)) body.segments = body.segments.filter(isRecord).map(({ start, end, text }) => ({ start, end, text }));
    },
  },
  {
    id: 'audio-text-variants',
    responses: ['success'],
    area: 'audio',
    operations: AUDIO,
    does: 'text-format transcripts have no trailing newline; srt and vtt documents use CRLF line endings, and vtt cues carry identifiers',
    allowedBy: [{ seed: '003', quote: 'text/plain | string | Texto transcrito en el formato de salida (cuando response_format era uno de texto, vtt o srt). |' }],
    because: 'SubRip files are traditionally CRLF; WebVTT allows CRLF, LF or CR line terminators and an optional identifier line before a cue\'s timing (W3C WebVTT §4.1)',
    text(body, info) {
      const format = info.request.response_format;
      if (format === 'text') return body.replace(/\n+$/, '');
      if (format === 'vtt') return body.replace(/(^|\n\n)(\d{2}:\d{2}:\d{2}\.\d{3} -->)/g, (_m, gap: string, timing: string, at: number) => `${gap}cue-${at}\n${timing}`).replace(/\n/g, '\r\n');
      if (format === 'srt') return body.replace(/\n/g, '\r\n');
      return body;
    },
  },
];
