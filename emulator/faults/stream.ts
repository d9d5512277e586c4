/** Fault switches of streaming (SSE) for chat and completions. Each breaks exactly one rule. */
import type { Fault } from './types.ts';

export const FAULTS: Fault[] = [

];
