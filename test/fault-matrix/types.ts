import type { FaultId } from '../../emulator/faults.ts';
import type { ProfileName, Status } from '../../src/model.ts';

/**
 * One proof that a check can fail, as the matrix test runs it: with `fault` on, running `case` makes `check` end as
 * `status`; with no fault, the same check passes. The rows are the faults' own `proof` entries (./index.ts).
 */
export interface FaultRow {
  fault: FaultId;
  /** Faults switched on together with `fault`, to show its defect is still reported beside theirs. */
  with?: FaultId[];
  case: string;
  check: string;
  status: Extract<Status, 'fail' | 'warning'>;
  /** The case's overall status under all the row's faults (default `status`). */
  caseStatus?: Extract<Status, 'fail' | 'warning'>;
  /** Profiles to prove it under (default: every profile the case applies to). */
  profiles?: ProfileName[];
}
