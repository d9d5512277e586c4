/**
 * Which emulator fault proves which check can fail. Together the rows must exercise every check and
 * every fault (test/engine/checks-vs-faults.test.ts enforces both). Each area keeps its rows in <area>.ts.
 */
import { ROWS as audio } from './audio.ts';
import { ROWS as chat } from './chat.ts';
import { ROWS as completions } from './completions.ts';
import { ROWS as core } from './core.ts';
import { ROWS as embeddings } from './embeddings.ts';
import { ROWS as images } from './images.ts';
import { ROWS as modelInference } from './model-inference.ts';
import { ROWS as stream } from './stream.ts';
import type { FaultRow } from './types.ts';

export type { FaultRow } from './types.ts';

export const FAULT_MATRIX: FaultRow[] = [...core, ...chat, ...completions, ...embeddings, ...images, ...audio, ...stream, ...modelInference];
