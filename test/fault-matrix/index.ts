/**
 * Which emulator fault proves which check can fail: read from each fault's own `proof` (emulator/faults/<area>.ts).
 * Together the rows must exercise every check and every fault (test/engine/checks-vs-faults.test.ts enforces both).
 */
import { FAULTS } from '../../emulator/faults.ts';
import type { FaultRow } from './types.ts';

export type { FaultRow } from './types.ts';

export const FAULT_MATRIX: FaultRow[] = FAULTS.flatMap((f) =>
  f.proof.map((p): FaultRow => ({
    fault: f.id,
    ...(p.with ? { with: [...p.with] as FaultRow['with'] } : {}),
    case: p.case,
    check: p.fails ?? p.warns!,
    status: p.fails !== undefined ? 'fail' : 'warning',
    ...(p.caseStatus ? { caseStatus: p.caseStatus } : {}),
    ...(p.profiles ? { profiles: [...p.profiles] } : {}),
  })),
);
