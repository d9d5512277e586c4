/** Fault switches of audio transcriptions and translations. Each breaks exactly one rule. */
import type { Fault } from './types.ts';

export const FAULTS: Fault[] = [

];
