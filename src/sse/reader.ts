/**
 * Server-sent events reader for streaming conformance checks.
 *
 * `SseParser` follows the WHATWG HTML "server-sent events" parsing rules
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation)
 * and additionally records framing diagnostics (line-ending styles, BOM, comments,
 * odd fields, undispatched trailing data, invalid UTF-8) so the suite can judge a
 * target's framing byte-exactly. `readSse` drives it over a response body with
 * bounded memory and time, and always resolves.
 *
 * Lines are split in the byte domain: CR and LF are ASCII and never occur inside a
 * UTF-8 multi-byte sequence, so every complete line is a self-contained UTF-8 unit.
 * That keeps byte offsets exact (even around invalid bytes, where a text-domain
 * reader would drift) and makes characters split across chunks a non-issue.
 */

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
  /** Decoded lines that formed the event (comments included), without terminators. */
  rawLines: string[];
  /** Stream byte offset of the block's first line. */
  startByte: number;
  /** Stream byte offset of the blank line that dispatched it: [startByte, endByte) holds the field lines with their terminators. */
  endByte: number;
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
  /** Gaps between consecutive dispatched events, first GAP_SAMPLE_LIMIT only; see gapCount. */
  gapsMs: number[];
  gapCount: number;
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
/** Bound for `SseTimings.gapsMs`. */
export const GAP_SAMPLE_LIMIT = 1000;

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const BOM_BYTES = [0xef, 0xbb, 0xbf] as const;
const KNOWN_FIELDS = new Set(['data', 'event', 'id', 'retry']);

/** Incremental, side-effect-free SSE parser: feed bytes with `push`, finish with `end`. */
export class SseParser {
  private readonly onEvent?: (event: SseEvent) => void;
  private readonly now: () => number;
  private readonly maxEvents: number;

  // One decoder for the whole stream; BOM handling is ours (stream start only).
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  // Consulted only when U+FFFD shows up, to tell invalid bytes from a literal U+FFFD.
  private readonly validator = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  // Line assembly (byte domain).
  private pendingPieces: Uint8Array[] = [];
  private pendingLength = 0;
  private lineStart = 0;
  private sawCrAtChunkEnd = false;
  private atStreamStart = true;

  // Event block being built (text domain).
  private blockLines: string[] = [];
  private blockStart = 0;
  private dataLines: string[] = [];
  private eventType = '';
  private retry: number | undefined;
  private lastEventId = '';

  private readonly diag: SseDiagnostics = {
    bom: false,
    lineEndings: { lf: 0, crlf: 0, cr: 0 },
    comments: [],
    commentCount: 0,
    fieldsWithoutColon: [],
    unknownFields: [],
    trailingUndispatched: null,
    invalidUtf8: false,
    totalBytes: 0,
    eventCount: 0,
  };
  private ended = false;
  private halted = false;

  private exceeded = false;

  constructor(options: SseParserOptions = {}) {
    this.onEvent = options.onEvent;
    this.now = options.now ?? (() => 0);
    this.maxEvents = options.maxEvents ?? Infinity;
  }

  get totalBytes(): number {
    return this.diag.totalBytes;
  }

  /** True once the stream tried to dispatch more than `maxEvents` events; parsing has stopped. */
  get limitExceeded(): boolean {
    return this.exceeded;
  }

  /** Parses a chunk; returns the events it completed. */
  push(chunk: Uint8Array): SseEvent[] {
    if (this.ended) throw new Error('SseParser: push() after end()');
    const chunkOffset = this.diag.totalBytes;
    this.diag.totalBytes += chunk.length;
    const events: SseEvent[] = [];
    if (this.halted || chunk.length === 0) return events;

    let pos = this.resolveCrFromPreviousChunk(chunk);
    // Buffer#indexOf is a memchr, several times faster than Uint8Array#indexOf; the view copies nothing.
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    // Cached terminator positions: re-scanning for an absent CR on every line would be quadratic.
    let nextLf = bytes.indexOf(LF, pos);
    let nextCr = bytes.indexOf(CR, pos);
    while (!this.halted) {
      if (nextLf !== -1 && nextLf < pos) nextLf = bytes.indexOf(LF, pos);
      if (nextCr !== -1 && nextCr < pos) nextCr = bytes.indexOf(CR, pos);
      const eol = nextLf === -1 ? nextCr : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
      if (eol === -1) {
        this.holdPartialLine(chunk.subarray(pos));
        break;
      }
      const line = this.takeLine(chunk.subarray(pos, eol));
      pos = this.consumeTerminator(chunk, eol);
      const event = this.processLine(line);
      this.lineStart = chunkOffset + pos;
      if (event) events.push(event);
    }
    return events;
  }

  /** Finishes the stream (no further dispatch, per spec) and returns the final diagnostics. */
  end(): SseDiagnostics {
    if (this.ended) return this.diagnostics;
    this.ended = true;
    if (this.sawCrAtChunkEnd) this.diag.lineEndings.cr++;
    if (!this.halted) {
      const tail = this.pendingLength > 0 ? this.decodeLine(concatBytes(this.pendingPieces, this.pendingLength)) : undefined;
      this.diag.trailingUndispatched = this.describeUnfinishedBlock(tail);
      if (tail !== undefined) this.noteUnterminatedLine(tail);
    }
    this.pendingPieces = [];
    return this.diagnostics;
  }

  /** A snapshot of the diagnostics so far. */
  get diagnostics(): SseDiagnostics {
    const d = this.diag;
    return {
      ...d,
      lineEndings: { ...d.lineEndings },
      comments: [...d.comments],
      fieldsWithoutColon: [...d.fieldsWithoutColon],
      unknownFields: [...d.unknownFields],
    };
  }

  // ---- line assembly -------------------------------------------------------

  /** A CR that ended the previous chunk was already handled as a line end; an LF here completes it as CRLF. */
  private resolveCrFromPreviousChunk(chunk: Uint8Array): number {
    if (!this.sawCrAtChunkEnd) return 0;
    this.sawCrAtChunkEnd = false;
    if (chunk[0] === LF) {
      this.diag.lineEndings.crlf++;
      this.lineStart++;
      return 1;
    }
    this.diag.lineEndings.cr++;
    return 0;
  }

  /** Counts the terminator at `eol` and returns the position after it. */
  private consumeTerminator(chunk: Uint8Array, eol: number): number {
    if (chunk[eol] === LF) {
      this.diag.lineEndings.lf++;
      return eol + 1;
    }
    if (eol + 1 === chunk.length) {
      // Can't tell CR from CRLF yet; the next chunk decides (see resolveCrFromPreviousChunk).
      this.sawCrAtChunkEnd = true;
      return eol + 1;
    }
    if (chunk[eol + 1] === LF) {
      this.diag.lineEndings.crlf++;
      return eol + 2;
    }
    this.diag.lineEndings.cr++;
    return eol + 1;
  }

  private holdPartialLine(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.pendingPieces.push(bytes);
    this.pendingLength += bytes.length;
  }

  /** Joins held pieces with the line's tail and decodes the complete line. */
  private takeLine(tail: Uint8Array): string {
    let bytes = tail;
    if (this.pendingLength > 0) {
      bytes = concatBytes([...this.pendingPieces, tail], this.pendingLength + tail.length);
      this.pendingPieces = [];
      this.pendingLength = 0;
    }
    return this.decodeLine(bytes);
  }

  private decodeLine(bytes: Uint8Array): string {
    if (this.atStreamStart) {
      this.atStreamStart = false;
      if (startsWithBom(bytes)) {
        this.diag.bom = true;
        this.lineStart += BOM_BYTES.length;
        bytes = bytes.subarray(BOM_BYTES.length);
      }
    }
    if (bytes.length === 0) return ''; // blank lines are half of all lines; skip the decoder call
    const text = this.decoder.decode(bytes);
    if (!this.diag.invalidUtf8 && text.includes('\uFFFD') && !isValidUtf8(this.validator, bytes)) {
      this.diag.invalidUtf8 = true;
    }
    return text;
  }

  // ---- spec interpretation ---------------------------------------------------

  private processLine(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (this.blockLines.length === 0) this.blockStart = this.lineStart;
    this.blockLines.push(line);
    if (line.charCodeAt(0) === COLON) {
      this.recordComment(line.slice(1));
      return undefined;
    }
    const { name, value } = splitField(line);
    if (value === undefined) pushDistinct(this.diag.fieldsWithoutColon, name);
    this.applyField(name, value ?? '');
    return undefined;
  }

  private applyField(name: string, value: string): void {
    switch (name) {
      case 'data':
        this.dataLines.push(value);
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.retry = Number(value);
        break;
      default:
        pushDistinct(this.diag.unknownFields, name);
    }
  }

  private recordComment(text: string): void {
    this.diag.commentCount++;
    if (this.diag.comments.length < DIAGNOSTIC_LIMIT) this.diag.comments.push(text);
  }

  /** Blank line: dispatch unless no data field was seen (spec), then start a new block. */
  private dispatch(): SseEvent | undefined {
    const event = this.dataLines.length > 0 ? this.buildEvent() : undefined;
    this.blockLines = [];
    this.dataLines = [];
    this.eventType = '';
    this.retry = undefined;
    if (!event) return undefined;
    if (this.diag.eventCount >= this.maxEvents) {
      this.exceeded = true;
      this.halted = true;
      return undefined;
    }
    this.diag.eventCount++;
    this.onEvent?.(event);
    return event;
  }

  private buildEvent(): SseEvent {
    const event: SseEvent = {
      index: this.diag.eventCount,
      event: this.eventType || 'message',
      // Joining with LF is the spec's "append value + LF, then drop the final LF".
      data: this.dataLines.join('\n'),
      rawLines: this.blockLines,
      startByte: this.blockStart,
      endByte: this.lineStart,
      at: this.now(),
    };
    if (this.lastEventId !== '') event.id = this.lastEventId;
    if (this.retry !== undefined) event.retry = this.retry;
    return event;
  }

  /** The unfinished block at EOF (with the unterminated last line, if any), reported only when it carries data. */
  private describeUnfinishedBlock(tail: string | undefined): string | null {
    const lines = tail === undefined ? [...this.blockLines] : [...this.blockLines, tail];
    const hasData = this.dataLines.length > 0 || (tail !== undefined && isDataField(tail));
    return hasData ? lines.join('\n') : null;
  }

  /**
   * The spec discards a last line no terminator ended; its field is still noted, so that a stream ending in a bare
   * `[DONE]` (no `data:`, no newline) shows that line among the fields without a colon.
   */
  private noteUnterminatedLine(line: string): void {
    if (line === '' || line.charCodeAt(0) === COLON) return;
    const { name, value } = splitField(line);
    if (value === undefined) pushDistinct(this.diag.fieldsWithoutColon, name);
    else if (!KNOWN_FIELDS.has(name)) pushDistinct(this.diag.unknownFields, name);
  }
}

/** Splits `name:value`, stripping one leading space from the value; value is undefined without a colon. */
function splitField(line: string): { name: string; value: string | undefined } {
  const colon = line.indexOf(':');
  if (colon === -1) return { name: line, value: undefined };
  const valueStart = line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1;
  return { name: line.slice(0, colon), value: line.slice(valueStart) };
}

function isDataField(line: string): boolean {
  return line.charCodeAt(0) !== COLON && splitField(line).name === 'data';
}

function pushDistinct(list: string[], item: string): void {
  if (list.length < DIAGNOSTIC_LIMIT && !list.includes(item)) list.push(item);
}

function startsWithBom(bytes: Uint8Array): boolean {
  return bytes[0] === BOM_BYTES[0] && bytes[1] === BOM_BYTES[1] && bytes[2] === BOM_BYTES[2];
}

function isValidUtf8(validator: TextDecoder, bytes: Uint8Array): boolean {
  try {
    validator.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function concatBytes(pieces: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}

// ---- readSse ---------------------------------------------------------------------

type NextOutcome = { result: IteratorResult<Uint8Array> } | { error: unknown } | { stop: SseEnd };

/**
 * Reads an SSE body to its end or to the first limit hit. Target misbehaviour
 * (hangs, resets, floods) always resolves with an `end` reason; only an exception
 * thrown by `onEvent` propagates. On an early stop the body is released (destroyed
 * when it can be, and its iterator returned) so the socket does not linger.
 */
export async function readSse(body: AsyncIterable<Uint8Array>, opts: ReadSseOptions): Promise<ReadSseResult> {
  const startedAt = opts.startedAt ?? performance.now();
  const elapsed = () => performance.now() - startedAt;
  const keepEvents = opts.keepEvents ?? true;
  const events: SseEvent[] = [];
  const gaps = new GapStats();
  const parser = new SseParser({
    now: elapsed,
    maxEvents: opts.maxEvents,
    onEvent: (event) => {
      gaps.record(event.at);
      if (keepEvents) events.push(event);
      opts.onEvent?.(event);
    },
  });
  const watchdog = new Watchdog(opts);
  let end: SseEnd;
  try {
    end = await pump(body, parser, watchdog, opts);
  } finally {
    watchdog.dispose();
  }
  return {
    events,
    diagnostics: parser.end(),
    timings: gaps.timings(opts.headersAt === undefined ? undefined : opts.headersAt - startedAt, elapsed()),
    end,
  };
}

/** The read loop: one chunk at a time, raced against the watchdog. */
async function pump(body: AsyncIterable<Uint8Array>, parser: SseParser, watchdog: Watchdog, opts: ReadSseOptions): Promise<SseEnd> {
  let iterator: AsyncIterator<Uint8Array>;
  try {
    iterator = body[Symbol.asyncIterator]();
  } catch (error) {
    return { kind: 'error', message: describeError(error) };
  }
  for (;;) {
    const next = safeNext(iterator);
    const outcome: NextOutcome = await Promise.race([
      next.then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      ),
      watchdog.stopped,
    ]);
    if ('stop' in outcome) {
      releaseBody(body, iterator, next);
      return outcome.stop;
    }
    if ('error' in outcome) return { kind: 'error', message: describeError(outcome.error) };
    if (outcome.result.done) return { kind: 'eof' };

    const chunk = outcome.result.value;
    if (chunk.length > 0) watchdog.sawBytes();
    const room = opts.maxBytes - parser.totalBytes;
    const overflow = chunk.length > room;
    try {
      parser.push(overflow ? chunk.subarray(0, room) : chunk);
    } catch (callerError) {
      // onEvent threw (a caller bug or a failed assertion): release, then let it propagate.
      releaseBody(body, iterator, undefined);
      throw callerError;
    }
    if (overflow) {
      releaseBody(body, iterator, undefined);
      return { kind: 'max-bytes', limit: opts.maxBytes };
    }
    if (parser.limitExceeded) {
      releaseBody(body, iterator, undefined);
      return { kind: 'max-events', limit: opts.maxEvents };
    }
  }
}

/** iterator.next() as a promise even if it throws synchronously. */
function safeNext(iterator: AsyncIterator<Uint8Array>): Promise<IteratorResult<Uint8Array>> {
  try {
    return Promise.resolve(iterator.next());
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Releases a body we stop reading early. Node stream iterators are async generators:
 * their return() queues behind a pending next(), which on a hung stream never settles,
 * so destroy the stream itself when it offers that, and do not await return().
 */
function releaseBody(
  body: AsyncIterable<Uint8Array>,
  iterator: AsyncIterator<Uint8Array> | undefined,
  pendingNext: Promise<unknown> | undefined,
): void {
  pendingNext?.catch(() => {}); // it may reject once the stream is destroyed
  const destroy = (body as { destroy?: unknown }).destroy;
  if (typeof destroy === 'function') {
    try {
      destroy.call(body);
    } catch {
      // best effort
    }
  }
  try {
    Promise.resolve(iterator?.return?.()).catch(() => {});
  } catch {
    // best effort
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
  return `${error.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message}${cause}`;
}

/**
 * Idle/total timeouts and the abort signal, folded into one promise that settles with
 * the reason to stop. The idle timer is re-armed lazily (only when it fires early)
 * rather than reset per chunk, which keeps the per-chunk cost to a timestamp.
 */
class Watchdog {
  readonly stopped: Promise<{ stop: SseEnd }>;
  private resolveStop!: (value: { stop: SseEnd }) => void;
  private lastBytesAt = performance.now();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private totalTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly signal?: AbortSignal;
  private readonly onAbort = () => this.stop({ kind: 'error', message: `aborted: ${describeError(this.signal?.reason)}` });

  constructor(private readonly opts: ReadSseOptions) {
    this.stopped = new Promise((resolve) => (this.resolveStop = resolve));
    this.armIdle(opts.idleTimeoutMs);
    if (opts.totalTimeoutMs !== undefined) {
      const afterMs = opts.totalTimeoutMs;
      const remaining = afterMs - (opts.startedAt === undefined ? 0 : performance.now() - opts.startedAt);
      this.totalTimer = setTimeout(() => this.stop({ kind: 'total-timeout', afterMs }), Math.max(0, remaining));
    }
    this.signal = opts.signal;
    if (this.signal?.aborted) this.onAbort();
    else this.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  sawBytes(): void {
    this.lastBytesAt = performance.now();
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.totalTimer);
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  private armIdle(delayMs: number): void {
    this.idleTimer = setTimeout(() => {
      const idleFor = performance.now() - this.lastBytesAt;
      if (idleFor >= this.opts.idleTimeoutMs) this.stop({ kind: 'idle-timeout', afterMs: this.opts.idleTimeoutMs });
      else this.armIdle(this.opts.idleTimeoutMs - idleFor);
    }, Math.max(0, delayMs));
  }

  private stop(end: SseEnd): void {
    this.dispose();
    this.resolveStop({ stop: end });
  }
}

/** Inter-event gap statistics with bounded storage. */
class GapStats {
  private firstAt: number | undefined;
  private lastAt: number | undefined;
  private readonly samples: number[] = [];
  private count = 0;
  private sum = 0;
  private max = 0;

  record(at: number): void {
    if (this.lastAt === undefined) {
      this.firstAt = at;
    } else {
      const gap = at - this.lastAt;
      this.count++;
      this.sum += gap;
      if (gap > this.max) this.max = gap;
      if (this.samples.length < GAP_SAMPLE_LIMIT) this.samples.push(gap);
    }
    this.lastAt = at;
  }

  timings(headersMs: number | undefined, totalMs: number): SseTimings {
    const timings: SseTimings = {
      gapsMs: this.samples,
      gapCount: this.count,
      meanGapMs: this.count === 0 ? 0 : this.sum / this.count,
      maxGapMs: this.max,
      totalMs,
    };
    if (headersMs !== undefined) timings.headersMs = headersMs;
    if (this.firstAt !== undefined) timings.firstEventMs = this.firstAt;
    return timings;
  }
}
