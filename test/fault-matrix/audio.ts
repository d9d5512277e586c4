/** Fault-matrix rows for audio transcriptions and translations (see ./types.ts). */
import type { FaultRow } from './types.ts';

export const ROWS: FaultRow[] = [
  // Response documents: schema, content types, the text formats' grammars.
  { fault: 'audio-json-text-missing', case: 'transcription-json', check: 'schema', status: 'fail' },
  { fault: 'audio-json-text-missing', case: 'translation-json', check: 'schema', status: 'fail' },
  { fault: 'audio-verbose-duration-string', case: 'translation-verbose-json', check: 'schema', status: 'fail' },
  { fault: 'audio-text-empty', case: 'transcription-json', check: 'audio-text-present', status: 'warning' },
  { fault: 'audio-text-empty', case: 'translation-verbose-json', check: 'audio-text-present', status: 'warning' },
  { fault: 'audio-text-json-encoded', case: 'transcription-text', check: 'audio-text-format-plain', status: 'fail' },
  { fault: 'audio-text-json-encoded', case: 'translation-text', check: 'audio-text-format-plain', status: 'fail' },
  { fault: 'audio-subtitle-media-types', case: 'transcription-srt', check: 'content-type', status: 'fail' },
  { fault: 'audio-subtitle-media-types', case: 'translation-vtt', check: 'content-type', status: 'fail' },
  { fault: 'audio-default-format-text', case: 'transcription-default-format', check: 'content-type', status: 'warning' },
  { fault: 'audio-default-format-text', case: 'translation-default-format', check: 'schema', status: 'warning' },
  { fault: 'audio-srt-dot-millis', case: 'transcription-srt', check: 'audio-srt-grammar', status: 'fail' },
  { fault: 'audio-srt-dot-millis', case: 'translation-srt', check: 'audio-srt-grammar', status: 'fail' },
  { fault: 'audio-vtt-no-header', case: 'transcription-vtt', check: 'audio-vtt-grammar', status: 'fail' },
  { fault: 'audio-vtt-no-header', case: 'translation-vtt', check: 'audio-vtt-grammar', status: 'fail' },
  // verbose_json semantics.
  { fault: 'audio-verbose-task-wrong', case: 'transcription-verbose-json', check: 'audio-verbose-task', status: 'warning' },
  { fault: 'audio-verbose-task-wrong', case: 'translation-verbose-json', check: 'audio-verbose-task', status: 'warning' },
  { fault: 'audio-segment-ids-repeat', case: 'transcription-verbose-json', check: 'audio-segment-ids', status: 'warning' },
  { fault: 'audio-segment-end-before-start', case: 'transcription-verbose-json', check: 'audio-segment-times', status: 'warning' },
  { fault: 'audio-segments-overlap', case: 'translation-verbose-json', check: 'audio-segment-order', status: 'warning' },
  { fault: 'audio-segment-times-ms', case: 'transcription-verbose-json', check: 'audio-segment-within-audio', status: 'warning' },
  { fault: 'audio-duration-ms', case: 'transcription-verbose-json', check: 'audio-duration', status: 'warning' },
  // Request validation.
  { fault: 'audio-temperature-unchecked', case: 'transcription-temperature-above-max', check: 'status-class', status: 'fail' },
  { fault: 'audio-temperature-unchecked', case: 'translation-temperature-below-min', check: 'status-class', status: 'fail' },
  { fault: 'audio-response-format-unchecked', case: 'transcription-response-format-invalid', check: 'status-class', status: 'fail' },
  { fault: 'audio-response-format-unchecked', case: 'translation-response-format-invalid', check: 'status-class', status: 'fail' },
  { fault: 'audio-file-required-unchecked', case: 'transcription-file-missing', check: 'status-class', status: 'fail' },
  { fault: 'audio-file-required-unchecked', case: 'translation-file-missing', check: 'status-class', status: 'fail' },
  { fault: 'audio-non-audio-accepted', case: 'transcription-not-audio', check: 'status-class', status: 'warning' },
  { fault: 'audio-non-audio-accepted', case: 'translation-not-audio', check: 'status-class', status: 'warning' },
  // The shared HTTP-layer faults on the multipart path.
  { fault: 'json-content-type-text', case: 'translation-verbose-json', check: 'content-type', status: 'fail' },
  { fault: 'error-body-shape', case: 'transcription-temperature-not-number', check: 'error-body', status: 'warning' },
  { fault: 'auth-missing-accepted', case: 'transcription-auth-missing', check: 'status-class', status: 'fail' },
];
