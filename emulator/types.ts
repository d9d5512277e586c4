/** The contract between the emulator's HTTP layer (server.ts) and its operation handlers. */
import type { IncomingHttpHeaders } from 'node:http';
import type { OperationId, ProfileName } from '../src/model.ts';
import type { FaultSet } from './faults.ts';
import type { VariationSet } from './variations.ts';

export interface EmulatorReply {
  status: number;
  headers?: Record<string, string>;
  /** JSON-serialisable body, or a string / Buffer sent as is. Ignored when `stream` is set. */
  body?: unknown;
  /** For a stream, '' sends no Content-Type header at all. */
  contentType?: string;
  /** A streamed body (SSE): each piece is written as it is produced; the server ends the response after the last. */
  stream?: AsyncIterable<string | Buffer>;
}

export interface UploadedFile {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface HandlerContext {
  profile: ProfileName;
  operation: OperationId;
  /** The deployment (azure-openai), the body's `model` (openai) or the azureml-model-deployment header / default (model-inference). */
  model: string;
  /** The parsed JSON body, or a multipart body's text fields. */
  body: Record<string, unknown>;
  /** A multipart body's files by field name (empty for JSON). */
  files: Record<string, UploadedFile>;
  headers: IncomingHttpHeaders;
  query: URLSearchParams;
  faults: FaultSet;
  /** The legal variations switched on (absent: none). */
  variations?: VariationSet;
  /** Serves `bytes` from the emulator itself and returns the absolute URL (image `url` results). */
  publish(bytes: Buffer, contentType: string): string;
  /** The error reply of this profile (errorResponse / dalleErrorResponse / Model Inference shapes). */
  error(status: number, code: string, message: string, param?: string): EmulatorReply;
  /** A 400 (422 for model-inference) invalid-request reply naming the parameter. */
  invalid(message: string, param?: string): EmulatorReply;
}

export interface OperationHandler {
  operation: OperationId;
  /** How the request body arrives. */
  bodyKind: 'json' | 'multipart';
  /** The request component a JSON body is validated against before `handle` (by the server, per profile). */
  requestSchema?: (profile: ProfileName) => string | undefined;
  handle(ctx: HandlerContext): EmulatorReply | Promise<EmulatorReply>;
}
