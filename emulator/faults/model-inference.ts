/** Fault switches of the Model Inference profile. Each breaks exactly one rule. */
import type { Fault } from './types.ts';

export const FAULTS: Fault[] = [

];
