/**
 * Server-sent events parser for streaming conformance checks.
 *
 * `SseParser` follows the WHATWG HTML "server-sent events" parsing rules
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation)
 * and additionally records framing diagnostics (line-ending styles, BOM, comments,
 * odd fields, undispatched trailing data, invalid UTF-8) so the suite can judge a
 * target's framing byte-exactly. ./reader.ts drives it over a
 * response body with bounded memory and time.
 *
 * Lines are split in the byte domain: CR and LF are ASCII and never occur inside a
 * UTF-8 multi-byte sequence, so every complete line is a self-contained UTF-8 unit.
 * That keeps byte offsets exact (even around invalid bytes, where a text-domain
 * reader would drift) and makes characters split across chunks a non-issue.
 */

import { DIAGNOSTIC_LIMIT, type SseDiagnostics, type SseEvent, type SseParserOptions } from './types.ts';

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
