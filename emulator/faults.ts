/**
 * Named fault switches. Each breaks exactly one rule of the contract, so that the project's tests can
 * show every check failing on a non-conformant response. `npm run emulator -- --list-faults` prints them.
 * Each area keeps its faults in emulator/faults/<area>.ts, each fault with the `proof` rows naming the case and
 * the check it makes fail (test/fault-matrix/ reads them). A fault whose deviation is a change to the finished
 * body carries it as `alter` (emulator/faults/types.ts), applied by the server, and one that changes each streamed
 * chunk as `alterChunk`; the others are `faults.has(id)` branches in the handlers.
 */
import { FAULTS as audio } from './faults/audio.ts';
import { FAULTS as chat } from './faults/chat.ts';
import { FAULTS as completions } from './faults/completions.ts';
import { FAULTS as core } from './faults/core.ts';
import { FAULTS as embeddings } from './faults/embeddings.ts';
import { FAULTS as images } from './faults/images.ts';
import { FAULTS as modelInference } from './faults/model-inference.ts';
import { FAULTS as stream } from './faults/stream.ts';
import type { AlterContext, ChunkContext, Fault } from './faults/types.ts';

export type { AlterContext, BodyAlteration, ChunkAlteration, ChunkContext, Fault, FaultCategory } from './faults/types.ts';

const ALL = [...core, ...chat, ...completions, ...embeddings, ...images, ...audio, ...stream, ...modelInference] as const;

/** The id of a defined fault: `faults.has('typo')` does not compile. */
export type FaultId = (typeof ALL)[number]['id'];

export const FAULTS: readonly (Fault & { id: FaultId })[] = ALL;

export const FAULT_IDS: ReadonlySet<string> = new Set(FAULTS.map((f) => f.id));
if (FAULT_IDS.size !== FAULTS.length) throw new Error('duplicate fault id in emulator/faults/');

export class FaultSet {
  private readonly active: Set<FaultId>;

  /** Ids come from the command line and the tests as strings: an unknown one is refused here. */
  constructor(ids: Iterable<string> = []) {
    const given = new Set(ids);
    for (const id of given) if (!FAULT_IDS.has(id)) throw new Error(`unknown fault "${id}" (see --list-faults)`);
    this.active = given as Set<FaultId>;
  }

  has(id: FaultId): boolean {
    return this.active.has(id);
  }

  list(): FaultId[] {
    return [...this.active];
  }

  /** Applies the active faults' body alterations for this operation, in registry order. */
  alter(body: Record<string, unknown>, ctx: AlterContext): void {
    for (const f of FAULTS) if (f.alter?.operations.includes(ctx.operation) && this.active.has(f.id)) f.alter.apply(body, ctx);
  }

  /** Applies the active faults' chunk alterations for this operation, in registry order. */
  alterChunk(chunk: Record<string, unknown>, ctx: ChunkContext): void {
    for (const f of FAULTS) if (f.alterChunk?.operations.includes(ctx.operation) && this.active.has(f.id)) f.alterChunk.apply(chunk, ctx);
  }
}
