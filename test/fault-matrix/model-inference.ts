/** Fault-matrix rows for model-inference (see ./types.ts). */
import type { FaultRow } from './types.ts';

export const ROWS: FaultRow[] = [];
