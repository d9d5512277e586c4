/** Fault switches of completions (non-streaming). Each breaks exactly one rule. */
import type { Fault } from './types.ts';

export const FAULTS: Fault[] = [

];
