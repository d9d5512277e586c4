/** The types the stream modules share (emulator/stream.ts and its stream-*.ts parts). */
import type { OperationId, ProfileName } from '../src/model.ts';
import type { FaultSet } from './faults.ts';

export type StreamStyle = 'azure' | 'openai';
export type LineEnding = 'lf' | 'crlf' | 'cr';

export interface StreamShape {
  style: StreamStyle;
  eol: LineEnding;
}

export type Json = Record<string, unknown>;

/** One SSE item before serialisation: a data event (a chunk object or a literal payload) or a comment. */
export type StreamItem = { kind: 'chunk'; chunk: Json } | { kind: 'raw'; data: string } | { kind: 'comment'; text: string };

export function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface PlanOptions {
  operation: OperationId;
  profile: ProfileName;
  style: StreamStyle;
  includeUsage: boolean;
  faults: FaultSet;
}

/** One chunk's `choices[0]` for a choice, before the index is set. */
export type Step = Json;
