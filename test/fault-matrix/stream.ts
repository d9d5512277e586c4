/** Fault-matrix rows for stream (see ./types.ts). */
import type { FaultRow } from './types.ts';

export const ROWS: FaultRow[] = [];
