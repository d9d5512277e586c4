/** Fault switches of audio transcriptions and translations. Each breaks exactly one rule. */
import type { Fault } from './types.ts';

export const FAULTS = [
  { id: 'audio-json-text-missing', category: 'schema', breaks: 'a json audio response names its transcript `transcript` instead of the required `text`' },
  { id: 'audio-verbose-duration-string', category: 'schema', breaks: 'a verbose_json audio response sends `duration` as a string' },
  { id: 'audio-text-empty', category: 'semantics', breaks: 'json and verbose_json audio responses carry an empty `text` for audio with speech' },
  { id: 'audio-text-json-encoded', category: 'semantics', breaks: 'the text response format sends the transcript as a JSON string literal (in quotes) instead of plain text' },
  { id: 'audio-subtitle-media-types', category: 'headers', breaks: 'srt and vtt responses are labelled application/x-subrip and text/vtt instead of the documented text/plain' },
  { id: 'audio-default-format-text', category: 'semantics', breaks: 'without response_format the audio response is plain text instead of the json format' },
  { id: 'audio-srt-dot-millis', category: 'semantics', breaks: 'srt timestamps separate milliseconds with "." (WebVTT style) instead of ","' },
  { id: 'audio-vtt-no-header', category: 'semantics', breaks: 'vtt responses lack the "WEBVTT" header line' },
  { id: 'audio-verbose-task-wrong', category: 'semantics', breaks: 'verbose_json `task` names the other operation (translate for transcriptions, transcribe for translations)' },
  { id: 'audio-segment-ids-repeat', category: 'semantics', breaks: 'every verbose_json segment has id 0' },
  { id: 'audio-segment-end-before-start', category: 'semantics', breaks: 'verbose_json segments end before they start (start and end swapped)' },
  { id: 'audio-segments-overlap', category: 'semantics', breaks: 'each verbose_json segment after the first starts 0.2 s before the previous one ends' },
  { id: 'audio-segment-times-ms', category: 'semantics', breaks: 'verbose_json segment start and end are in milliseconds, past the end of the audio' },
  { id: 'audio-duration-ms', category: 'semantics', breaks: 'verbose_json `duration` is in milliseconds instead of seconds' },
  { id: 'audio-temperature-unchecked', category: 'bounds', breaks: 'audio temperature outside 0..1 is accepted (200)' },
  { id: 'audio-response-format-unchecked', category: 'bounds', breaks: 'an audio response_format outside the documented enum is accepted (answered as json)' },
  { id: 'audio-file-required-unchecked', category: 'bounds', breaks: 'an audio request without a file part is accepted (200)' },
  { id: 'audio-non-audio-accepted', category: 'bounds', breaks: 'a file that is not audio is "transcribed" (200)' },
] as const satisfies readonly Fault[];
