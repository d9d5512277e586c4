/** Fault switches of audio transcriptions and translations. Each breaks exactly one rule. */
import type { Fault } from './types.ts';

export const FAULTS = [
  {
    id: 'audio-json-text-missing',
    category: 'schema',
    breaks: 'a json audio response names its transcript `transcript` instead of the required `text`',
    proof: [{ case: 'transcription-json', fails: 'schema' }, { case: 'translation-json', fails: 'schema' }],
  },
  { id: 'audio-verbose-duration-string', category: 'schema', breaks: 'a verbose_json audio response sends `duration` as a string', proof: [{ case: 'translation-verbose-json', fails: 'schema' }] },
  {
    id: 'audio-text-empty',
    category: 'semantics',
    breaks: 'json and verbose_json audio responses carry an empty `text` for audio with speech',
    proof: [{ case: 'transcription-json', warns: 'audio-text-present' }, { case: 'translation-verbose-json', warns: 'audio-text-present' }],
  },
  {
    id: 'audio-text-json-encoded',
    category: 'semantics',
    breaks: 'the text response format sends the transcript as a JSON string literal (in quotes) instead of plain text',
    proof: [{ case: 'transcription-text', fails: 'audio-text-format-plain' }, { case: 'translation-text', fails: 'audio-text-format-plain' }],
  },
  {
    id: 'audio-subtitle-media-types',
    category: 'headers',
    breaks: 'srt and vtt responses are labelled application/x-subrip and text/vtt instead of the documented text/plain',
    proof: [{ case: 'transcription-srt', fails: 'content-type' }, { case: 'translation-vtt', fails: 'content-type' }],
  },
  {
    id: 'audio-default-format-text',
    category: 'semantics',
    breaks: 'without response_format the audio response is plain text instead of the json format',
    proof: [{ case: 'transcription-default-format', warns: 'content-type' }, { case: 'translation-default-format', warns: 'schema' }],
  },
  {
    id: 'audio-srt-dot-millis',
    category: 'semantics',
    breaks: 'srt timestamps separate milliseconds with "." (WebVTT style) instead of ","',
    proof: [{ case: 'transcription-srt', fails: 'audio-srt-grammar' }, { case: 'translation-srt', fails: 'audio-srt-grammar' }],
  },
  {
    id: 'audio-vtt-no-header',
    category: 'semantics',
    breaks: 'vtt responses lack the "WEBVTT" header line',
    proof: [{ case: 'transcription-vtt', fails: 'audio-vtt-grammar' }, { case: 'translation-vtt', fails: 'audio-vtt-grammar' }],
  },
  {
    id: 'audio-verbose-task-wrong',
    category: 'semantics',
    breaks: 'verbose_json `task` names the other operation (translate for transcriptions, transcribe for translations)',
    proof: [{ case: 'transcription-verbose-json', warns: 'audio-verbose-task' }, { case: 'translation-verbose-json', warns: 'audio-verbose-task' }],
  },
  { id: 'audio-segment-ids-repeat', category: 'semantics', breaks: 'every verbose_json segment has id 0', proof: [{ case: 'transcription-verbose-json', warns: 'audio-segment-ids' }] },
  {
    id: 'audio-segment-end-before-start',
    category: 'semantics',
    breaks: 'verbose_json segments end before they start (start and end swapped)',
    proof: [{ case: 'transcription-verbose-json', warns: 'audio-segment-times' }],
  },
  {
    id: 'audio-segments-overlap',
    category: 'semantics',
    breaks: 'each verbose_json segment after the first starts 0.2 s before the previous one ends',
    proof: [{ case: 'translation-verbose-json', warns: 'audio-segment-order' }],
  },
  {
    id: 'audio-segment-times-ms',
    category: 'semantics',
    breaks: 'verbose_json segment start and end are in milliseconds, past the end of the audio',
    proof: [{ case: 'transcription-verbose-json', warns: 'audio-segment-within-audio' }],
  },
  { id: 'audio-duration-ms', category: 'semantics', breaks: 'verbose_json `duration` is in milliseconds instead of seconds', proof: [{ case: 'transcription-verbose-json', warns: 'audio-duration' }] },
  {
    id: 'audio-temperature-unchecked',
    category: 'bounds',
    breaks: 'audio temperature outside 0..1 is accepted (200)',
    proof: [{ case: 'transcription-temperature-above-max', fails: 'status-class' }, { case: 'translation-temperature-below-min', fails: 'status-class' }],
  },
  {
    id: 'audio-response-format-unchecked',
    category: 'bounds',
    breaks: 'an audio response_format outside the documented enum is accepted (answered as json)',
    proof: [{ case: 'transcription-response-format-invalid', fails: 'status-class' }, { case: 'translation-response-format-invalid', fails: 'status-class' }],
  },
  {
    id: 'audio-file-required-unchecked',
    category: 'bounds',
    breaks: 'an audio request without a file part is accepted (200)',
    proof: [{ case: 'transcription-file-missing', fails: 'status-class' }, { case: 'translation-file-missing', fails: 'status-class' }],
  },
  {
    id: 'audio-non-audio-accepted',
    category: 'bounds',
    breaks: 'a file that is not audio is "transcribed" (200)',
    proof: [{ case: 'transcription-not-audio', warns: 'status-class' }, { case: 'translation-not-audio', warns: 'status-class' }],
  },
] as const satisfies readonly Fault[];
