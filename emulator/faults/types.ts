import type { ProfileName } from '../../src/model.ts';

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
}
