/** Fault-matrix rows for completions (see ./types.ts). */
import type { FaultRow } from './types.ts';

export const ROWS: FaultRow[] = [];
