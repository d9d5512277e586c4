/** What the server-sent events parser (./parser.ts) and reader (./reader.ts) report. */

export interface SseEvent {
  /** 0-based position among dispatched events. */
  index: number;
  /** Event type; 'message' when no (or an empty) `event` field was given. */
  event: string;
  data: string;
  /** The stream's last event ID at dispatch (persists across events, per spec); absent while empty. */
  id?: string;
  /** A valid `retry` value given in this event's block. */
  retry?: number;
  /** Milliseconds since the reader's clock origin when dispatched (0 without a clock). */
  at: number;
}

export interface SseDiagnostics {
  /** A UTF-8 BOM opened the stream (and was stripped). */
  bom: boolean;
  lineEndings: { lf: number; crlf: number; cr: number };
  /** Comment texts (after the ':'), first DIAGNOSTIC_LIMIT only; see commentCount. */
  comments: string[];
  commentCount: number;
  /** Distinct names of fields written without a colon (first DIAGNOSTIC_LIMIT). */
  fieldsWithoutColon: string[];
  /** Distinct names of fields the spec ignores (first DIAGNOSTIC_LIMIT). */
  unknownFields: string[];
  /** Raw text of an unfinished block holding data when the stream ended without its blank line. */
  trailingUndispatched: string | null;
  invalidUtf8: boolean;
  /** Bytes received (handed to the parser). */
  totalBytes: number;
  eventCount: number;
}

export interface SseTimings {
  headersMs?: number;
  firstEventMs?: number;
  /** Mean and largest gap between consecutive dispatched events. */
  meanGapMs: number;
  maxGapMs: number;
  totalMs: number;
}

export type SseEnd =
  | { kind: 'eof' }
  | { kind: 'idle-timeout'; afterMs: number }
  | { kind: 'max-events'; limit: number }
  | { kind: 'max-bytes'; limit: number }
  | { kind: 'total-timeout'; afterMs: number }
  | { kind: 'error'; message: string };

export interface SseParserOptions {
  /** Called synchronously for each dispatched event. */
  onEvent?: (event: SseEvent) => void;
  /** Clock for `SseEvent.at`; defaults to a constant 0 so parsing stays pure. */
  now?: () => number;
  /** Keep at most this many events; the next dispatch sets `limitExceeded` and stops parsing. */
  maxEvents?: number;
}

export interface ReadSseOptions {
  /** End with idle-timeout when no bytes arrive for this long (a hung stream). */
  idleTimeoutMs: number;
  /** End with total-timeout this long after startedAt (the request start when given). */
  totalTimeoutMs?: number;
  /** Keep at most this many events; end with max-events when the stream sends more. */
  maxEvents: number;
  /** Read at most this many bytes; end with max-bytes when the stream sends more. */
  maxBytes: number;
  /** performance.now() at request start; the origin of every reported time. Defaults to the call time. */
  startedAt?: number;
  /** performance.now() when response headers arrived. */
  headersAt?: number;
  onEvent?: (event: SseEvent) => void;
  /** Collect events in the result (default true); false keeps memory flat for long streams. */
  keepEvents?: boolean;
  /** Aborting ends the read with `{ kind: 'error', message: 'aborted…' }`. */
  signal?: AbortSignal;
}

export interface ReadSseResult {
  events: SseEvent[];
  diagnostics: SseDiagnostics;
  timings: SseTimings;
  end: SseEnd;
}

/** Bound for the diagnostic lists, so a misbehaving stream cannot grow them without limit. */
export const DIAGNOSTIC_LIMIT = 50;
