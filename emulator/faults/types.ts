import type { OperationId, ProfileName } from '../../src/model.ts';

export type FaultCategory =
  | 'schema'
  | 'semantics'
  | 'bounds'
  | 'errors'
  | 'auth'
  | 'api-version'
  | 'headers'
  | 'transport'
  | 'deployment'
  | 'streaming'
  | 'profile';

/**
 * One proof that a check can fail (test/engine/checks-vs-faults.test.ts runs it): with the fault on, running `case`
 * makes the check named by `fails` end as fail, or the one named by `warns` as warning; with no fault it passes.
 */
export type Proof = ({ fails: string; warns?: never } | { warns: string; fails?: never }) & {
  case: string;
  /** Faults switched on together with this one, to show its defect is still reported beside theirs. */
  with?: readonly string[];
  /** The case's overall status under all the faults (default: the check's). */
  caseStatus?: 'fail' | 'warning';
  /** Profiles to prove it under (default: every profile the case applies to). */
  profiles?: readonly ProfileName[];
};

export interface Fault {
  id: string;
  category: FaultCategory;
  /** How the response (or the handling of the request) is broken, in one line. */
  breaks: string;
  /** The checks it breaks, each shown failing on a case. */
  proof: readonly Proof[];
  /**
   * The deviation itself, when it is a change to a finished JSON success body: the server applies it (emulator/faults.ts
   * FaultSet.alter) to every 2xx JSON body the operations' handlers answer while the fault is on, so the handler needs
   * no `if (faults.has(…))`. Deviations in how the answer is made (a parameter ignored, a request accepted) stay in the handler.
   */
  alter?: BodyAlteration;
  /**
   * The deviation, when it is a change to each chunk a stream carries of the reply (not Azure's prompt or annotation
   * events): applied in emulator/stream-faults.ts to the planned chunks, before the variations reshape the stream.
   */
  alterChunk?: ChunkAlteration;
}

/** What a body alteration is told about the reply it changes. */
export interface AlterContext {
  operation: OperationId;
  profile: ProfileName;
  /** The request's parsed body (a multipart request's text fields). */
  request: Record<string, unknown>;
}

export interface BodyAlteration {
  /** The operations whose success bodies it changes. */
  operations: readonly OperationId[];
  /** Changes the body in place. */
  apply(body: Record<string, unknown>, ctx: AlterContext): void;
}

/** Where a chunk stands among the stream's chunks of the reply. */
export interface ChunkContext extends AlterContext {
  /** From 0. */
  index: number;
  count: number;
}

export interface ChunkAlteration {
  /** The operations whose streamed chunks it changes. */
  operations: readonly OperationId[];
  /** Changes one chunk in place. */
  apply(chunk: Record<string, unknown>, ctx: ChunkContext): void;
}
