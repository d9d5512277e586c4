/** Fault-matrix rows for images (see ./types.ts). */
import type { FaultRow } from './types.ts';

export const ROWS: FaultRow[] = [];
