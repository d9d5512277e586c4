/** Fault switches of image generations. Each breaks exactly one rule. */
import type { Fault } from './types.ts';

export const FAULTS: Fault[] = [

];
