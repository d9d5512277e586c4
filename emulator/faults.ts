/**
 * Named fault switches. Each breaks exactly one rule of the contract, so that the project's tests can
 * show every check failing on a non-conformant response. `npm run emulator -- --list-faults` prints them.
 * Each area keeps its faults in emulator/faults/<area>.ts, each fault with the `proof` rows naming the case and
 * the check it makes fail (test/fault-matrix/ reads them).
 */
import { FAULTS as audio } from './faults/audio.ts';
import { FAULTS as chat } from './faults/chat.ts';
import { FAULTS as completions } from './faults/completions.ts';
import { FAULTS as core } from './faults/core.ts';
import { FAULTS as embeddings } from './faults/embeddings.ts';
import { FAULTS as images } from './faults/images.ts';
import { FAULTS as modelInference } from './faults/model-inference.ts';
import { FAULTS as stream } from './faults/stream.ts';
import type { Fault } from './faults/types.ts';

export type { Fault, FaultCategory } from './faults/types.ts';

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
}
