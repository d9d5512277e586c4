/**
 * Legal variations: the mirror of the faults. Each switches the emulator to a response the documents allow but
 * that is unusual (optional fields left out, free strings with other values, unknown fields, other SSE framings…),
 * so the project's tests can prove that no check fails a conformant server (test/engine/variations.test.ts).
 * A variation acts through hooks the emulator calls at fixed points; each hook only sees replies of the
 * operations and profiles the variation names.
 */
import type { OperationId, ProfileName } from '../../src/model.ts';
import type { StreamItem } from '../stream.ts';

type Json = Record<string, unknown>;

/** A line of a seed document (by its file name's prefix), quoted verbatim, that allows what the variation does. */
export interface SeedQuote {
  seed: '003' | '000';
  quote: string;
}

export type VariationArea = 'http' | 'bodies' | 'errors' | 'streaming' | 'audio' | 'images';

/** The kinds of response a variation can change: 2xx JSON or text bodies, error bodies, event streams. */
export type ResponseKind = 'success' | 'error' | 'stream';
export const RESPONSE_KINDS: readonly ResponseKind[] = ['success', 'error', 'stream'];

/** What a hook knows about the reply it shapes. */
export interface ReplyInfo {
  profile: ProfileName;
  /** Absent for replies to a path that names no operation. */
  operation?: OperationId;
  /** The request's JSON body (or multipart text fields); empty when it could not be read. */
  request: Json;
  status: number;
}

export interface Variation {
  id: string;
  area: VariationArea;
  /** The operations whose responses it changes. */
  operations: readonly OperationId[];
  /** The profiles whose responses it changes (default: every profile). */
  profiles?: readonly ProfileName[];
  /** The kinds of response it changes (default: all). */
  responses?: readonly ResponseKind[];
  /** What it does, in one line. */
  does: string;
  /** The seed lines that make it legal: at least one, each verbatim from the seed file. */
  allowedBy: readonly SeedQuote[];
  /** Why it is realistic, or what beyond the seed makes it legal: an AZURE-BEHAVIOUR.md fact, an RFC, the SSE standard. */
  because?: string;
  /**
   * Checks that may warn under it, and why the documents justify the warning: only SHOULD/MAY checks whose
   * requirement rests on observed behaviour (a legal response that services do not send). Never a failure.
   */
  expectedWarnings?: { checks: readonly string[]; why: string };

  /** Reshapes a 2xx JSON body before it is sent (and before a stream is made of it). Mutates `body` in place. */
  success?(body: Json, info: ReplyInfo): void;
  /** Reshapes a JSON error body (status ≥ 400). Mutates `body` in place. */
  error?(body: Json, info: ReplyInfo): void;
  /** Reshapes a text/plain 2xx body (audio text, srt, vtt). */
  text?(body: string, info: ReplyInfo): string;
  /** Rewrites the stream's items (chunks, comments) before they are framed. */
  plan?(items: StreamItem[], info: ReplyInfo): StreamItem[];
  /** Rewrites the framed stream (the bytes on the wire). */
  frames?(frames: AsyncIterable<string | Buffer>): AsyncIterable<string | Buffer>;
  /** Which stream shape a profile gets when the request does not choose one. */
  streamStyle?(style: 'azure' | 'openai', profile: ProfileName): 'azure' | 'openai';
  /** Rewrites the response headers (content-type included) of every reply. */
  headers?(headers: Record<string, string>, kind: 'json' | 'stream' | 'other'): void;
  /** Serialises JSON bodies with this indentation (pretty-printed). */
  jsonIndent?: number;
  /** Sends non-stream bodies with chunked transfer coding, in small pieces. */
  chunked?: boolean;
}
