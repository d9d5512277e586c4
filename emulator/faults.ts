/**
 * Named fault switches. Each breaks exactly one rule of the contract, so that the project's tests can
 * show every check failing on a non-conformant response. `npm run emulator -- --list-faults` prints them.
 * Each area keeps its faults in emulator/faults/<area>.ts.
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

export const FAULTS: readonly Fault[] = [...core, ...chat, ...completions, ...embeddings, ...images, ...audio, ...stream, ...modelInference];

export const FAULT_IDS: ReadonlySet<string> = new Set(FAULTS.map((f) => f.id));
if (FAULT_IDS.size !== FAULTS.length) throw new Error('duplicate fault id in emulator/faults/');

export class FaultSet {
  private readonly active: Set<string>;

  constructor(ids: Iterable<string> = []) {
    this.active = new Set(ids);
    for (const id of this.active) if (!FAULT_IDS.has(id)) throw new Error(`unknown fault "${id}" (see --list-faults)`);
  }

  has(id: string): boolean {
    return this.active.has(id);
  }

  list(): string[] {
    return [...this.active];
  }
}
