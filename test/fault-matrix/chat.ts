/** Fault-matrix rows for chat completions beyond the walking skeleton (see ./types.ts). */
import type { FaultRow } from './types.ts';

export const ROWS: FaultRow[] = [];
